import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPaymentEvent, checkRefund, initiatePayment, type Payment, type PaymentEffect, type PaymentEvent } from './payment.ts';

const fresh = () => initiatePayment({ orderId: 'ord_1', amountMinor: 5000, currency: 'EUR' });
const intentId = 'pi_1';

function run(start: Payment, events: PaymentEvent[]) {
  let payment = start;
  const effects: PaymentEffect[] = [];
  for (const event of events) {
    const t = applyPaymentEvent(payment, event);
    payment = t.payment;
    if (t.outcome === 'moved') effects.push(...t.effects);
  }
  return { payment, effects };
}

describe('Payment state machine', () => {
  it('walks the happy path and asks for exactly one capture', () => {
    const { payment, effects } = run(fresh(), [
      { type: 'confirmation_required', intentId },
      { type: 'authorized', intentId },
      { type: 'captured', intentId, amountMinor: 5000 },
    ]);
    expect(payment.state).toBe('captured');
    expect(effects).toEqual(['capture', 'publish_completed']);
  });

  it('reports a repeated transition as already, without effects', () => {
    const authorized = applyPaymentEvent(fresh(), { type: 'authorized', intentId });
    expect(authorized.outcome).toBe('moved');
    const again = applyPaymentEvent(authorized.payment, { type: 'authorized', intentId });
    expect(again).toEqual({ outcome: 'already', payment: authorized.payment });
  });

  it('fails from initiated and refuses to authorize a failed payment', () => {
    const failed = applyPaymentEvent(fresh(), { type: 'failed', code: 'PAYMENTS.CARD_DECLINED' });
    expect(failed).toMatchObject({ outcome: 'moved', effects: ['publish_failed'], payment: { state: 'failed', failureCode: 'PAYMENTS.CARD_DECLINED' } });
    expect(applyPaymentEvent(failed.payment, { type: 'failed', code: 'PAYMENTS.CARD_DECLINED' }).outcome).toBe('already');
    expect(applyPaymentEvent(failed.payment, { type: 'authorized', intentId })).toMatchObject({
      outcome: 'refused',
      error: { code: 'PAYMENTS.PAYMENT_FAILED' },
    });
  });

  it('refuses to fail a payment that is already authorized', () => {
    const { payment } = run(fresh(), [{ type: 'authorized', intentId }]);
    expect(applyPaymentEvent(payment, { type: 'failed', code: 'PAYMENTS.CARD_DECLINED' })).toMatchObject({
      outcome: 'refused',
      error: { code: 'PAYMENTS.INVALID_TRANSITION' },
    });
  });

  it('refunds partially then fully, and refuses more than was captured', () => {
    const captured = run(fresh(), [{ type: 'captured', intentId, amountMinor: 5000 }]).payment;
    expect(checkRefund(fresh(), 100)?.code).toBe('PAYMENTS.NOT_CAPTURED');
    const partial = applyPaymentEvent(captured, { type: 'refunded', refundId: 're_1', amountMinor: 2000 });
    expect(partial.payment).toMatchObject({ state: 'partially_refunded', refundedMinor: 2000 });
    const tooMuch = applyPaymentEvent(partial.payment, { type: 'refunded', refundId: 're_2', amountMinor: 3001 });
    expect(tooMuch).toMatchObject({ outcome: 'refused', error: { code: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED' } });
    const full = applyPaymentEvent(partial.payment, { type: 'refunded', refundId: 're_2', amountMinor: 3000 });
    expect(full.payment).toMatchObject({ state: 'refunded', refundedMinor: 5000 });
  });

  it('refuses a capture of another amount', () => {
    expect(applyPaymentEvent(fresh(), { type: 'captured', intentId, amountMinor: 4999 }).outcome).toBe('refused');
  });
});

describe('Payment state machine properties', () => {
  const progress: PaymentEvent[] = [
    { type: 'confirmation_required', intentId },
    { type: 'authorized', intentId },
    { type: 'captured', intentId, amountMinor: 5000 },
  ];
  /** The state reached by the furthest fact, which any order must also reach. */
  const furthest = (events: PaymentEvent[]) => run(fresh(), progress.filter((p) => events.some((e) => e.type === p.type))).payment;

  it('any interleaving of duplicated progress facts ends in the same state with at most one capture', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...progress), { minLength: 1, maxLength: 12 }), (events) => {
        const { payment, effects } = run(fresh(), events);
        expect(payment).toEqual(furthest(events));
        expect(effects.filter((e) => e === 'capture').length).toBeLessThanOrEqual(1);
        expect(effects.filter((e) => e === 'publish_completed').length).toBe(events.some((e) => e.type === 'captured') ? 1 : 0);
      }),
    );
  });

  it('a client confirmation racing duplicated webhooks yields exactly one capture and one completion', () => {
    // Each delivery is an 'authorized' fact from the client or a webhook; the capture the machine asks
    // for reports 'captured' at some later point (and the provider's webhook may repeat it).
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        fc.nat({ max: 3 }),
        (authorizedDeliveries, insertionPoints, capturedRepeats) => {
          const queue: PaymentEvent[] = Array.from({ length: authorizedDeliveries }, () => ({ type: 'authorized', intentId }) as const);
          let payment = fresh();
          let captures = 0;
          let completions = 0;
          let step = 0;
          while (queue.length > 0) {
            const t = applyPaymentEvent(payment, queue.shift()!);
            payment = t.payment;
            if (t.outcome !== 'moved') continue;
            if (t.effects.includes('publish_completed')) completions++;
            if (t.effects.includes('capture')) {
              captures++;
              for (let i = 0; i <= capturedRepeats; i++) {
                const at = (insertionPoints[step++ % insertionPoints.length] ?? 0) % (queue.length + 1);
                queue.splice(at, 0, { type: 'captured', intentId, amountMinor: 5000 });
              }
            }
          }
          expect(captures).toBe(1);
          expect(completions).toBe(1);
          expect(payment.state).toBe('captured');
        },
      ),
    );
  });

  it('distinct refunds delivered in any order and repeated are each counted once', () => {
    const captured = run(fresh(), [{ type: 'captured', intentId, amountMinor: 5000 }]).payment;
    const refunds = fc
      .array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 5 })
      .map((amounts) => amounts.map((amountMinor, i) => ({ type: 'refunded', refundId: `re_${i}`, amountMinor }) as const));
    fc.assert(
      fc.property(
        refunds.chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray([...rs, ...rs, ...rs], { minLength: 3 * rs.length }))),
        ([distinct, deliveries]) => {
          const { payment, effects } = run(captured, deliveries);
          const total = distinct.reduce((s, r) => s + r.amountMinor, 0);
          expect(payment.refundedMinor).toBe(total);
          expect(effects.filter((e) => e === 'publish_refunded')).toHaveLength(distinct.length);
          expect(payment.state).toBe(total === 5000 ? 'refunded' : 'partially_refunded');
        },
      ),
    );
  });
});
