import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  adminBearer,
  adminGet,
  checkout,
  eventually,
  guestCart,
  http,
  pickVariants,
  postgres,
  startShop,
  waitForStatus,
} from './support/shop.ts';
import { stripeBehindHoldingProxy } from './support/stripe-behind-proxy.ts';

interface AdminOrder {
  refunds: Array<{ id: string; status: string; amountMinor: number }>;
  payment: { state: string; refundedMinor: number } | null;
  lines: Array<{ unitPriceMinor: number; variantId: string }>;
}

/**
 * A crash mid-refund: an admin's partial refund is acknowledged (202), the gateway carries it
 * out, and the app is SIGKILLed before it hears the answer. After a restart on the same
 * database the refund must be paid out exactly once: one refund at the gateway, the payment
 * `partially_refunded` by that amount, the order's refund `refunded`.
 *
 * Checked by breaking it: with the gateway key in refund-requested-order.ts changed to
 * `refund:${refundId}:${Date.now()}` the restarted app refunds a second time and the
 * `refunds` count fails ({ refunds: 2 } ≠ 1).
 */
describe.skipIf(!postgres.available)('kill -9 between a refund\'s 202 and its payout', () => {
  const world = stripeBehindHoldingProxy((method, path) => method === 'POST' && path.startsWith('/v1/refunds'), 'rel-refund-');
  const { env, shops } = world;

  it('restarts and pays the acknowledged refund out once', async () => {
    const first = await startShop(env());
    shops.push(first);
    const [variant] = await pickVariants(first.base, 1);
    const cart = await guestCart(first.base, variant!.variantId, 2);
    const placed = await checkout(first.base, cart, 'refund-crash@example.com');
    expect(placed.status, placed.text).toBe(202);
    await waitForStatus(first.base, placed.body, ['fulfilled'], 120_000);

    const bearer = await adminBearer(first.base);
    const before = await adminGet<AdminOrder>(first.base, bearer, `/api/admin/orders/${placed.body.orderId}`);
    const refund = await http<{ id: string; amountMinor: number }>(first.base, 'POST', `/api/admin/orders/${placed.body.orderId}/refunds`, {
      headers: { authorization: `Bearer ${bearer}`, 'idempotency-key': `crash-${randomUUID()}` },
      body: { lines: [{ variantId: variant!.variantId, quantity: 1 }], reason: 'one was broken' },
    });
    expect(refund.status, refund.text).toBe(202);
    expect(refund.body.amountMinor).toBe(before.lines[0]!.unitPriceMinor);

    const held = await Promise.race([
      world.proxy().held,
      new Promise<never>((_, fail) => setTimeout(() => fail(new Error(`no refund reached the gateway:\n${first.proc.output().slice(-2000)}`)), 60_000)),
    ]);
    expect(held.status).toBe(200);
    await first.kill();
    expect(world.fake().stats.refunds).toBe(1);

    const second = await startShop(env());
    shops.push(second);
    const bearer2 = await adminBearer(second.base);
    // The crashed instance's lease on the delivery runs out (30 s) before the retry.
    const after = await eventually(
      async () => {
        const o = await adminGet<AdminOrder>(second.base, bearer2, `/api/admin/orders/${placed.body.orderId}`);
        return o.refunds[0]?.status === 'refunded' ? o : undefined;
      },
      () => 'refund not paid out after the restart',
      120_000,
    );
    expect(world.fake().stats).toEqual({ authorizations: 1, captures: 1, refunds: 1 });
    expect(after.payment).toMatchObject({ state: 'partially_refunded', refundedMinor: refund.body.amountMinor });
    expect(after.refunds.map((r) => [r.id, r.status])).toEqual([[refund.body.id, 'refunded']]);
  }, 300_000);
});
