import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import type { NotificationsContext } from './notifications.context.ts';

/** What is kept of `shipping.label_purchased.v1`: the shipped email names the carrier. */
export interface PurchasedLabel {
  orderId: string;
  carrier: string;
  trackingNumber: string;
}

export async function rememberLabel(ctx: NotificationsContext, event: DomainEvent<string, PurchasedLabel>, handler: HandlerContext): Promise<void> {
  const { orderId, carrier, trackingNumber } = event.payload;
  await handler.once((tx) => ctx.recipients.rememberLabel(tx, { orderId, carrier, trackingNumber }));
}
