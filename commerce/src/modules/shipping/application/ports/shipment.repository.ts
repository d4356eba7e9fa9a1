import type { Sql } from '../../../../shared/database/database.ts';
import type { OnceStatement } from '../../../../shared/events/index.ts';
import type { ShipmentStatus } from '../../domain/shipment.ts';
import type { ShipmentView } from '../shipping.dto.ts';

export type NewShipment = ShipmentView & { labelId: string };

/** Storage of shipments and seen tracking events; every call joins the caller's `tx`. */
export interface ShipmentRepository {
  /**
   * The insert as the first statement of `onceStartingWith`: its result is false when the order
   * already has a shipment (a second label purchase for one order).
   */
  insertStatement(shipment: NewShipment): OnceStatement;
  byId(tx: Sql, id: string): Promise<ShipmentView | null>;
  /** Locks the row until `tx` ends, so two webhooks for one parcel apply one after the other. */
  byTrackingNumberForUpdate(tx: Sql, trackingNumber: string): Promise<ShipmentView | null>;
  /** Newest first on (created_at, id); `after`: strictly older than that row (keyset). */
  list(
    tx: Sql,
    filter: { orderId?: string | undefined; status?: ShipmentStatus | undefined; after?: { createdAt: Date; id: string } | undefined; limit: number },
  ): Promise<ShipmentView[]>;
  setStatus(tx: Sql, id: string, status: ShipmentStatus, at: Date): Promise<void>;
  /** False when the carrier's event id was recorded before. */
  recordTrackingEvent(tx: Sql, event: { eventId: string; shipmentId: string; status: string; occurredAt: string; receivedAt: Date }): Promise<boolean>;
}
