import type { EventOf } from '../../../shared/events/index.ts';
import type { OrderRefundRequested } from '../../../events/orders.events.ts';
import type { PaymentsContext } from './payments.context.ts';
import { refundPayment } from './refund-payment.ts';

/**
 * Pays out an admin's refund of a paid order. Keyed by the refund's id (not the event's), so
 * however often the request is delivered or replayed the gateway refunds it once.
 */
export async function refundRequestedOrder(ctx: PaymentsContext, event: EventOf<typeof OrderRefundRequested>): Promise<void> {
  const { orderId, amountMinor, refundId } = event.payload;
  await refundPayment(ctx, { orderId, amountMinor, idempotencyKey: `refund:${refundId}`, refundRequestId: refundId, causedBy: event });
}
