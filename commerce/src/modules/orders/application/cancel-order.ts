import type { Sql } from '../../../shared/database/database.ts';
import type { DomainEvent } from '../../../shared/events/index.ts';
import type { CancelReason, Order } from '../domain/order.ts';
import { HOLDS_RESERVATION, planTransition } from '../domain/order-status.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { refundableMinor } from '../domain/refund.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { OrderCancelled } from '../../../events/orders.events.ts';
import { moveOrder, stockLinesOf, type Cause } from './move-order.ts';
import type { OrdersContext } from './orders.context.ts';

/**
 * Cancels a locked order in `tx`: releases its reserved stock, and publishes `OrderCancelled`
 * with what payments must refund (everything captured and not yet refunded, 0 when nothing was). Cancelling an
 * order already cancelled succeeds and does nothing, so a redelivered cause has one effect.
 */
export async function cancelOrder(
  ctx: OrdersContext,
  tx: Sql,
  order: Order,
  reason: CancelReason,
  cause: Cause & { causedBy?: DomainEvent },
): Promise<Result<{ changed: boolean }, OrdersError>> {
  const from = order.status;
  const plan = planTransition(from, 'cancelled');
  if (plan === 'already') return ok({ changed: false });
  if (plan !== 'apply') {
    return fail({ code: 'ORDERS.ILLEGAL_TRANSITION', from, to: 'cancelled', message: `An order that is ${from} cannot be cancelled` });
  }
  // What admins refunded already went back; only the rest is refunded with the cancellation.
  const refundMinor = order.paidMinor > 0 ? Math.max(0, refundableMinor(order, await ctx.refunds.listFor(tx, order.id))) : 0;
  await moveOrder(ctx, tx, order, 'cancelled', cause, { cancelReason: reason });
  if (HOLDS_RESERVATION.has(from)) await ctx.catalog.releaseStock(tx, stockLinesOf(order));
  await ctx.events.publish(
    tx,
    OrderCancelled.create(
      { orderId: order.id, orderNumber: order.orderNumber, reason, refundMinor, currency: order.currency },
      cause.causedBy ? { causedBy: cause.causedBy } : {},
    ),
  );
  return ok({ changed: true });
}
