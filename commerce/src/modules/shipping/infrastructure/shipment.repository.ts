import type { ShipmentRepository } from '../application/ports/shipment.repository.ts';
import type { ShipmentView } from '../application/shipping.dto.ts';
import type { ShipmentStatus } from '../domain/shipment.ts';

interface ShipmentRow {
  id: string;
  order_id: string;
  order_number: string;
  option_id: string;
  carrier: string;
  tracking_number: string;
  label_url: string;
  status: ShipmentStatus;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, order_id, order_number, option_id, carrier, tracking_number, label_url, status, created_at, updated_at';

const toView = (r: ShipmentRow): ShipmentView => ({
  id: r.id,
  orderId: r.order_id,
  orderNumber: r.order_number,
  optionId: r.option_id,
  carrier: r.carrier,
  trackingNumber: r.tracking_number,
  labelUrl: r.label_url,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export function createShipmentRepository(): ShipmentRepository {
  return {
    insertStatement(s) {
      return {
        ctes: `stored as (
           insert into shipping.shipments (id, order_id, order_number, option_id, carrier, tracking_number, label_id, label_url, status, created_at, updated_at)
           select $1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, $10::timestamptz where exists (select 1 from first_handling)
           on conflict (order_id) do nothing returning 1
         )`,
        values: [s.id, s.orderId, s.orderNumber, s.optionId, s.carrier, s.trackingNumber, s.labelId, s.labelUrl, s.status, s.createdAt],
        result: 'exists (select 1 from stored)',
      };
    },
    async byId(tx, id) {
      const { rows } = await tx.query<ShipmentRow>(`select ${COLUMNS} from shipping.shipments where id = $1`, [id]);
      return rows[0] ? toView(rows[0]) : null;
    },
    async byTrackingNumberForUpdate(tx, trackingNumber) {
      const { rows } = await tx.query<ShipmentRow>(`select ${COLUMNS} from shipping.shipments where tracking_number = $1 for update`, [trackingNumber]);
      return rows[0] ? toView(rows[0]) : null;
    },
    async list(tx, { orderId, status, after, limit }) {
      const { rows } = await tx.query<ShipmentRow>(
        `select ${COLUMNS} from shipping.shipments
          where ($1::uuid is null or order_id = $1) and ($3::text is null or status = $3)
            and ($4::timestamptz is null or (created_at, id) < ($4, $5::uuid))
          order by created_at desc, id desc limit $2`,
        [orderId ?? null, limit, status ?? null, after?.createdAt ?? null, after?.id ?? null],
      );
      return rows.map(toView);
    },
    async setStatus(tx, id, status, at) {
      await tx.query(`update shipping.shipments set status = $2, updated_at = $3 where id = $1`, [id, status, at]);
    },
    async recordTrackingEvent(tx, e) {
      const { rowCount } = await tx.query(
        `insert into shipping.tracking_events (event_id, shipment_id, status, occurred_at, received_at) values ($1, $2, $3, $4, $5)
         on conflict (event_id) do nothing`,
        [e.eventId, e.shipmentId, e.status, e.occurredAt, e.receivedAt],
      );
      return rowCount > 0;
    },
  };
}
