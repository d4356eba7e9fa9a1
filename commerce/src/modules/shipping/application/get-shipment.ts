import type { ShippingContext } from './shipping.context.ts';
import type { ShipmentView } from './shipping.dto.ts';

export function getShipment(ctx: ShippingContext, id: string): Promise<ShipmentView | null> {
  return ctx.shipments.byId(ctx.db, id);
}
