import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import { renderShipped } from '../domain/shipped.template.ts';
import { deliverEmail, RecipientNotYetKnownError } from './deliver-email.ts';
import type { NotificationsContext } from './notifications.context.ts';

/** What the email needs of `shipping.shipment_status_changed.v1`. */
export interface ShipmentProgress {
  orderId: string;
  trackingNumber: string;
  status: 'in_transit' | 'delivered';
}

/** The parcel left: one email with the tracking number. `delivered` sends nothing. */
export async function sendShipped(ctx: NotificationsContext, event: DomainEvent<string, ShipmentProgress>, handler: HandlerContext): Promise<void> {
  const { orderId, trackingNumber, status } = event.payload;
  if (status !== 'in_transit') return;
  const recipient = await ctx.recipients.find(ctx.db, orderId);
  if (!recipient) throw new RecipientNotYetKnownError(orderId);
  const label = await ctx.recipients.findLabel(ctx.db, orderId);
  if (!label) throw new RecipientNotYetKnownError(orderId, 'label');
  const email = renderShipped({ orderId: recipient.orderNumber, customerName: recipient.customerName, carrier: label.carrier, trackingNumber });
  await deliverEmail(ctx, recipient.email, email, `shipped:${handler.idempotencyKey}`, { orderId, kind: 'shipped' }, handler);
}
