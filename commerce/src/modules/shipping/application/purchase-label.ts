import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import { parcelWeightGrams } from '../domain/shipment.ts';
import type { ShippingOptionId } from '../domain/shipping-rates.ts';
import { LabelPurchased } from '../../../events/shipping.events.ts';
import type { ShippingContext } from './shipping.context.ts';
import type { PaidOrder } from './shipping.dto.ts';

/** Thrown so the bus retries and finally dead-letters: a paid order without a label needs a person. */
export class LabelPurchaseFailedError extends Error {
  constructor(
    readonly orderId: string,
    readonly code: string,
    message: string,
  ) {
    super(`No label for order ${orderId}: ${code} ${message}`);
    this.name = 'LabelPurchaseFailedError';
  }
}

/** The one idempotency key per order: every retry, redelivery or second instance asks for the same label. */
export const labelIdempotencyKey = (orderId: string) => `label:${orderId}`;

/**
 * Handles a paid order: buys its label and stores the shipment with its `LabelPurchased` event
 * in one transaction, the shipment by the statement that marks the event handled. The carrier
 * deduplicates on the order's key, so a crash between buying and committing costs nothing on the
 * retry; the inbox and the unique order id make a redelivered event a no-op.
 */
export async function purchaseLabel(ctx: ShippingContext, event: DomainEvent<string, PaidOrder>, handler: HandlerContext): Promise<void> {
  const order = event.payload;
  const { shippingAddress: a } = order;
  const bought = await ctx.provider.buyLabel({
    orderId: order.orderId,
    optionId: order.shippingOptionId as ShippingOptionId,
    parcel: { weightGrams: parcelWeightGrams(order.lines) },
    to: { name: a.name, line1: a.line1, ...(a.line2 ? { line2: a.line2 } : {}), city: a.city, postalCode: a.postalCode, country: a.country.toUpperCase() },
    idempotencyKey: labelIdempotencyKey(order.orderId),
  });
  if (!bought.ok) throw new LabelPurchaseFailedError(order.orderId, bought.error.code, bought.error.message);
  const { label } = bought;
  const now = ctx.now().toISOString();
  const shipmentId = ctx.newId();
  const shipment = ctx.shipments.insertStatement({
    id: shipmentId,
    orderId: order.orderId,
    orderNumber: order.orderNumber,
    optionId: label.optionId,
    carrier: label.carrier,
    trackingNumber: label.trackingNumber,
    labelId: label.labelId,
    labelUrl: label.labelUrl,
    status: 'label_purchased',
    createdAt: now,
    updatedAt: now,
  });
  await handler.onceStartingWith(shipment, async (tx, inserted) => {
    // Another OrderPaid for the same order (a second event id) finds the shipment already there.
    if (inserted !== true) return;
    await ctx.events.publish(
      tx,
      LabelPurchased.create(
        { orderId: order.orderId, shipmentId, carrier: label.carrier, trackingNumber: label.trackingNumber, labelUrl: label.labelUrl },
        { causedBy: event },
      ),
    );
  });
}
