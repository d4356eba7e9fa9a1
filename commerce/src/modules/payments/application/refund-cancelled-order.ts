import type { EventOf } from '../../../shared/events/index.ts';
import type { OrderCancelled } from '../../../events/orders.events.ts';
import type { PaymentsContext } from './payments.context.ts';
import { refundPayment } from './refund-payment.ts';

/**
 * Refunds a cancelled order that had been paid (`refundMinor` > 0). The gateway key is
 * derived from the cancellation event, so a redelivery replays the same refund (same refund
 * id) and the state machine counts it once; `PaymentRefunded` is published with that move.
 */
export async function refundCancelledOrder(ctx: PaymentsContext, event: EventOf<typeof OrderCancelled>): Promise<void> {
  const { orderId, refundMinor } = event.payload;
  if (refundMinor <= 0) return;
  await refundPayment(ctx, { orderId, amountMinor: refundMinor, idempotencyKey: `refund:${event.id}`, causedBy: event });
}
