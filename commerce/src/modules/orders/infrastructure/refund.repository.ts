import type { RefundRepository } from '../application/ports/refund.repository.ts';
import type { Refund, RefundLine, RefundStatus } from '../domain/refund.ts';

interface Row {
  id: string;
  order_id: string;
  amount_minor: number | string;
  currency: string;
  lines: RefundLine[];
  shipping: boolean;
  reason: string;
  status: RefundStatus;
  requested_by: string;
  created_at: Date | string;
  refunded_at: Date | string | null;
  request_hash: string;
}

const COLUMNS = 'id, order_id, amount_minor, currency, lines, shipping, reason, status, requested_by, created_at, refunded_at, request_hash';

const toRefund = (r: Row): Refund => ({
  id: r.id,
  orderId: r.order_id,
  amountMinor: Number(r.amount_minor),
  currency: r.currency,
  lines: r.lines,
  shipping: r.shipping,
  reason: r.reason,
  status: r.status,
  requestedBy: r.requested_by,
  createdAt: new Date(r.created_at),
  refundedAt: r.refunded_at === null ? null : new Date(r.refunded_at),
});

/** The RefundRepository port over PostgreSQL/PGlite. */
export const refundRepository: RefundRepository = {
  async insert(tx, r) {
    await tx.query(
      `insert into orders.refunds (id, order_id, idempotency_key, request_hash, amount_minor, currency, lines, shipping, reason, status,
         requested_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [r.id, r.orderId, r.idempotencyKey, r.requestHash, r.amountMinor, r.currency, JSON.stringify(r.lines), r.shipping, r.reason, r.status, r.requestedBy, r.createdAt],
    );
  },
  async findByKey(sql, orderId, idempotencyKey) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from orders.refunds where order_id = $1 and idempotency_key = $2`, [orderId, idempotencyKey]);
    return rows[0] ? { ...toRefund(rows[0]), requestHash: rows[0].request_hash } : null;
  },
  async find(sql, id) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from orders.refunds where id = $1`, [id]);
    return rows[0] ? toRefund(rows[0]) : null;
  },
  async listFor(sql, orderId) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from orders.refunds where order_id = $1 order by created_at, id`, [orderId]);
    return rows.map(toRefund);
  },
  async markRefunded(tx, id, at) {
    const { rows } = await tx.query<{ id: string }>(
      `update orders.refunds set status = 'refunded', refunded_at = $2 where id = $1 and status = 'requested' returning id`,
      [id, at],
    );
    return rows.length > 0;
  },
};
