import { advances } from '../domain/shipment.ts';
import type { ShippingError } from '../domain/shipping.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { ShipmentStatusChanged } from '../../../events/shipping.events.ts';
import type { ShippingContext } from './shipping.context.ts';
import type { ShipmentView } from './shipping.dto.ts';

export interface TrackingUpdateOutcome {
  shipment: ShipmentView;
  /** False for a repeated webhook (same carrier event id) or one that does not move the shipment forward. */
  changed: boolean;
}

/**
 * A carrier tracking webhook, verified by the provider against the raw body. Applies at most
 * once per carrier event id, moves the shipment only forward, and publishes
 * `ShipmentStatusChanged` in the same transaction as the new status.
 */
export async function recordTrackingUpdate(
  ctx: ShippingContext,
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
): Promise<Result<TrackingUpdateOutcome, ShippingError>> {
  const parsed = ctx.provider.parseTrackingWebhook(rawBody, signatureHeader);
  if (!parsed.ok) return parsed;
  const update = parsed.event;
  return ctx.db.transaction(async (tx) => {
    const shipment = await ctx.shipments.byTrackingNumberForUpdate(tx, update.trackingNumber);
    // Unknown parcels get a 404 and nothing is recorded, so the carrier's retry is still applied
    // if the label's transaction had not committed yet.
    if (!shipment || shipment.orderId !== update.orderId) {
      return fail<ShippingError>({ code: 'SHIPPING.SHIPMENT_NOT_FOUND', message: `No shipment with tracking number ${update.trackingNumber}` });
    }
    const now = ctx.now();
    const fresh = await ctx.shipments.recordTrackingEvent(tx, {
      eventId: update.eventId,
      shipmentId: shipment.id,
      status: update.status,
      occurredAt: update.occurredAt,
      receivedAt: now,
    });
    if (!fresh || !advances(shipment.status, update.status)) return ok({ shipment, changed: false });
    await ctx.shipments.setStatus(tx, shipment.id, update.status, now);
    await ctx.events.publish(
      tx,
      ShipmentStatusChanged.create({
        orderId: shipment.orderId,
        shipmentId: shipment.id,
        trackingNumber: shipment.trackingNumber,
        status: update.status,
        at: new Date(update.occurredAt).toISOString(),
      }),
    );
    return ok({ shipment: { ...shipment, status: update.status, updatedAt: now.toISOString() }, changed: true });
  });
}
