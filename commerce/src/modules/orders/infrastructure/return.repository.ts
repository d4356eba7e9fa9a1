import type { ReturnRepository } from '../application/ports/return.repository.ts';
import type { OrderReturn, ReturnDisposition, ReturnStatus } from '../domain/order-return.ts';
import type { RefundLine } from '../domain/refund.ts';

interface Row {
  id: string;
  order_id: string;
  order_number: string;
  lines: RefundLine[];
  reason: string;
  status: ReturnStatus;
  decision_note: string | null;
  decided_by: string | null;
  disposition: ReturnDisposition | null;
  refund_id: string | null;
  refund_minor: number | string | null;
  received_by: string | null;
  created_at: Date | string;
  decided_at: Date | string | null;
  received_at: Date | string | null;
  request_hash: string;
}

const COLUMNS = `r.id, r.order_id, o.order_number, r.lines, r.reason, r.status, r.decision_note, r.decided_by, r.disposition, r.refund_id,
  r.refund_minor, r.received_by, r.created_at, r.decided_at, r.received_at, r.request_hash`;
const FROM = 'orders.returns r join orders.orders o on o.id = r.order_id';
const date = (v: Date | string | null) => (v === null ? null : new Date(v));

const toReturn = (r: Row): OrderReturn => ({
  id: r.id,
  orderId: r.order_id,
  orderNumber: r.order_number,
  lines: r.lines,
  reason: r.reason,
  status: r.status,
  decisionNote: r.decision_note,
  decidedBy: r.decided_by,
  disposition: r.disposition,
  refundId: r.refund_id,
  refundMinor: r.refund_minor === null ? null : Number(r.refund_minor),
  receivedBy: r.received_by,
  createdAt: new Date(r.created_at),
  decidedAt: date(r.decided_at),
  receivedAt: date(r.received_at),
});

const CHANGE_COLUMNS: Record<string, string> = {
  status: 'status',
  decisionNote: 'decision_note',
  decidedBy: 'decided_by',
  decidedAt: 'decided_at',
  disposition: 'disposition',
  refundId: 'refund_id',
  refundMinor: 'refund_minor',
  receivedBy: 'received_by',
  receivedAt: 'received_at',
};

/** The ReturnRepository port over PostgreSQL/PGlite. */
export const returnRepository: ReturnRepository = {
  async insert(tx, r) {
    await tx.query(
      `insert into orders.returns (id, order_id, idempotency_key, request_hash, lines, reason, status, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [r.id, r.orderId, r.idempotencyKey, r.requestHash, JSON.stringify(r.lines), r.reason, r.status, r.createdAt],
    );
  },
  async findByKey(sql, orderId, idempotencyKey) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from ${FROM} where r.order_id = $1 and r.idempotency_key = $2`, [orderId, idempotencyKey]);
    return rows[0] ? { ...toReturn(rows[0]), requestHash: rows[0].request_hash } : null;
  },
  async find(sql, id) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from ${FROM} where r.id = $1`, [id]);
    return rows[0] ? toReturn(rows[0]) : null;
  },
  async lock(tx, id) {
    const { rows } = await tx.query<Row>(`select ${COLUMNS} from ${FROM} where r.id = $1 for update of r`, [id]);
    return rows[0] ? toReturn(rows[0]) : null;
  },
  async listFor(sql, orderId) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from ${FROM} where r.order_id = $1 order by r.created_at, r.id`, [orderId]);
    return rows.map(toReturn);
  },
  async list(sql, filter) {
    const params: unknown[] = [filter.limit];
    if (filter.status) params.push(filter.status);
    const { rows } = await sql.query<Row>(
      `select ${COLUMNS} from ${FROM} ${filter.status ? 'where r.status = $2' : ''} order by r.created_at, r.id limit $1`,
      params,
    );
    return rows.map(toReturn);
  },
  async update(tx, id, change) {
    const entries = Object.entries(change).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    const sets = entries.map(([k], i) => `${CHANGE_COLUMNS[k]} = $${i + 2}`);
    await tx.query(`update orders.returns set ${sets.join(', ')} where id = $1`, [id, ...entries.map(([, v]) => v)]);
  },
};
