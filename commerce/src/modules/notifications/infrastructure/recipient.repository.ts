import type { OrderRecipient, RecipientRepository, ShipmentLabel } from '../application/ports/recipient.repository.ts';

interface RecipientRow {
  order_id: string;
  order_number: string;
  email: string;
  customer_name: string;
  currency: string;
  total_minor: string | number;
  lines: OrderRecipient['lines'];
  confirmation: OrderRecipient['confirmation'];
}

export function createRecipientRepository(): RecipientRepository {
  return {
    rememberStatement(r) {
      return {
        ctes: `remembered as (
           insert into notifications.recipients (order_id, order_number, email, customer_name, currency, total_minor, lines, confirmation)
           values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)
           on conflict (order_id) do nothing
         )`,
        values: [r.orderId, r.orderNumber, r.email, r.customerName, r.currency, r.totalMinor, JSON.stringify(r.lines), r.confirmation ? JSON.stringify(r.confirmation) : null],
      };
    },
    async find(tx, orderId) {
      const { rows } = await tx.query<RecipientRow>(
        `select order_id, order_number, email, customer_name, currency, total_minor, lines, confirmation from notifications.recipients where order_id = $1`,
        [orderId],
      );
      const r = rows[0];
      if (!r) return null;
      return {
        orderId: r.order_id,
        orderNumber: r.order_number,
        email: r.email,
        customerName: r.customer_name,
        currency: r.currency,
        // bigint arrives as a string from node-postgres.
        totalMinor: Number(r.total_minor),
        lines: r.lines,
        confirmation: r.confirmation,
      };
    },
    async rememberLabel(tx, l) {
      await tx.query(
        `insert into notifications.shipment_labels (order_id, carrier, tracking_number) values ($1, $2, $3) on conflict (order_id) do nothing`,
        [l.orderId, l.carrier, l.trackingNumber],
      );
    },
    async findLabel(tx, orderId): Promise<ShipmentLabel | null> {
      const { rows } = await tx.query<{ order_id: string; carrier: string; tracking_number: string }>(
        `select order_id, carrier, tracking_number from notifications.shipment_labels where order_id = $1`,
        [orderId],
      );
      const r = rows[0];
      return r ? { orderId: r.order_id, carrier: r.carrier, trackingNumber: r.tracking_number } : null;
    },
  };
}
