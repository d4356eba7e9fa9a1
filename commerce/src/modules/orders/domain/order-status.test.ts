import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, planTransition, reachableFrom, type OrderStatus } from './order-status.ts';

/** The legal steps, written out by hand (not derived from TRANSITIONS) so the table checks the code. */
const LEGAL: ReadonlyArray<[OrderStatus, OrderStatus]> = [
  ['pending_payment', 'paid'],
  ['pending_payment', 'payment_failed'],
  ['pending_payment', 'cancelled'],
  ['paid', 'fulfilled'],
  ['paid', 'cancelled'],
  ['fulfilled', 'shipped'],
  ['fulfilled', 'delivered'],
  ['shipped', 'delivered'],
  ['payment_failed', 'cancelled'],
  ['cancelled', 'refunded'],
];
const isLegal = (from: OrderStatus, to: OrderStatus) => LEGAL.some(([f, t]) => f === from && t === to);
const ALL_PAIRS = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

describe('order state machine', () => {
  it.each(LEGAL)('%s → %s is legal', (from, to) => {
    expect(planTransition(from, to)).toBe('apply');
  });

  it.each(ALL_PAIRS.filter(([f, t]) => f !== t && !isLegal(f, t)))('%s → %s is refused', (from, to) => {
    expect(['illegal', 'not_yet']).toContain(planTransition(from, to));
  });

  it.each(ORDER_STATUSES.map((s) => [s]))('%s → itself is a no-op (redelivery)', (status) => {
    expect(planTransition(status, status)).toBe('already');
  });

  it('tells an event that overtook its predecessor (retry later) from one that can never apply', () => {
    expect(planTransition('pending_payment', 'fulfilled')).toBe('not_yet'); // label before payment was recorded
    expect(planTransition('paid', 'delivered')).toBe('not_yet');
    expect(planTransition('paid', 'refunded')).toBe('not_yet'); // refund before the cancel
    expect(planTransition('cancelled', 'fulfilled')).toBe('illegal');
    expect(planTransition('delivered', 'shipped')).toBe('illegal'); // late in-transit scan
    expect(planTransition('refunded', 'paid')).toBe('illegal');
    expect(planTransition('delivered', 'cancelled')).toBe('illegal');
  });

  it('terminal statuses lead nowhere', () => {
    expect([...reachableFrom('delivered')]).toEqual([]);
    expect([...reachableFrom('refunded')]).toEqual([]);
  });

  it('property: any walk of applied transitions follows the table, never revisits a status, and ends within 5 steps', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ORDER_STATUSES), { maxLength: 40 }), (targets) => {
        let status: OrderStatus = 'pending_payment';
        const visited: OrderStatus[] = [status];
        for (const to of targets) {
          const plan = planTransition(status, to);
          if (plan === 'apply') {
            expect(isLegal(status, to)).toBe(true);
            status = to;
            visited.push(status);
          } else if (plan === 'already') {
            expect(to).toBe(status);
          } else {
            expect(isLegal(status, to)).toBe(false);
            // not_yet exactly when the target is still ahead on some path
            expect(plan === 'not_yet').toBe(reachableFrom(status).has(to));
          }
        }
        expect(new Set(visited).size).toBe(visited.length);
        expect(visited.length).toBeLessThanOrEqual(5);
      }),
    );
  });
});
