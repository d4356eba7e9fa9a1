import type { ShipmentStatus } from '../domain/shipment.ts';
import type { ShippingContext } from './shipping.context.ts';
import type { ShipmentView } from './shipping.dto.ts';

/** Newest first; with `orderId`, that order's shipment (at most one). */
export function listShipments(ctx: ShippingContext, filter: { orderId?: string; status?: ShipmentStatus; limit?: number }): Promise<ShipmentView[]> {
  return ctx.shipments.list(ctx.db, { orderId: filter.orderId, status: filter.status, limit: Math.min(Math.max(filter.limit ?? 50, 1), 200) });
}
