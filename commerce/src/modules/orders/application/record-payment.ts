import type { Sql } from '../../../shared/database/database.ts';
import type { DomainEvent } from '../../../shared/events/index.ts';
import { PAID_STATUSES } from '../domain/order-status.ts';
import { OrderCancelled, OrderPaid } from '../../../events/orders.events.ts';
import { lockAndMoveOrder } from './move-order.ts';
import type { OrdersContext } from './orders.context.ts';

type PaymentCompletedEvent = DomainEvent<string, { orderId: string; paymentId: string; amountMinor: number; currency: string }>;

/**
 * PaymentCompleted: the order is paid and `OrderPaid` sends it to shipping. A payment that lands
 * on an order already cancelled (expired, failed, or by an admin) must not keep the money:
 * `OrderCancelled` with the captured amount tells payments to refund it.
 */
export async function recordPayment(ctx: OrdersContext, tx: Sql, event: PaymentCompletedEvent): Promise<void> {
  const { orderId, amountMinor, currency } = event.payload;
  const locked = await lockAndMoveOrder(ctx, tx, orderId, 'paid', { reason: 'payment completed', eventId: event.id }, { paidMinor: amountMinor });
  if (!locked) {
    ctx.logger.error({ orderId, eventId: event.id }, 'payment completed for an unknown order');
    return;
  }
  const { order, plan } = locked;
  if (plan === 'apply') {
    if (amountMinor !== order.totalMinor || currency !== order.currency) {
      ctx.logger.error({ orderId, amountMinor, currency, totalMinor: order.totalMinor }, 'payment amount differs from the order total');
    }
    await ctx.events.publish(
      tx,
      OrderPaid.create(
        {
          orderId,
          orderNumber: order.orderNumber,
          customerEmail: order.email,
          shippingAddress: order.shippingAddress,
          shippingOptionId: order.shippingOption.id,
          lines: order.lines,
        },
        { causedBy: event },
      ),
    );
    return;
  }
  if (PAID_STATUSES.has(order.status)) return; // a redelivery, or a second report of the same charge
  // cancelled, payment_failed or refunded: the money must go back.
  ctx.logger.warn({ orderId, status: order.status, amountMinor }, 'payment completed for an order no longer payable; refunding');
  await ctx.events.publish(
    tx,
    OrderCancelled.create(
      {
        orderId,
        orderNumber: order.orderNumber,
        reason: order.cancelReason ?? 'payment_expired',
        refundMinor: amountMinor,
        currency,
      },
      { causedBy: event },
    ),
  );
}
