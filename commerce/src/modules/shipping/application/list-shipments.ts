import { decodeCursor, pageOf } from '../../../shared/pagination/keyset-cursor.ts';
import type { ShipmentStatus } from '../domain/shipment.ts';
import type { ShippingContext } from './shipping.context.ts';
import type { ShipmentView } from './shipping.dto.ts';

/**
 * Newest first, a keyset page at a time; with `orderId`, that order's shipment (at most one).
 * Null for a cursor that is not a `nextCursor` of ours.
 */
export async function listShipments(
  ctx: ShippingContext,
  filter: { orderId?: string | undefined; status?: ShipmentStatus | undefined; cursor?: string | undefined; limit?: number | undefined },
): Promise<{ shipments: ShipmentView[]; nextCursor: string | null } | null> {
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  if (after === null) return null;
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const rows = await ctx.shipments.list(ctx.db, { orderId: filter.orderId, status: filter.status, after, limit: limit + 1 });
  const { items, nextCursor } = pageOf(
    rows.map((s) => ({ ...s, createdAt: new Date(s.createdAt), view: s })),
    limit,
  );
  return { shipments: items.map((i) => i.view), nextCursor };
}
