import type { Sql } from '../../../shared/database/index.ts';
import type { Payment, PaymentState } from '../domain/payment.ts';
import type { PaymentsErrorCode } from '../domain/payments.errors.ts';
import type { PaymentOwner, PaymentRecord, PaymentRepository, WebhookRejection } from '../application/ports/payment.repository.ts';


interface Row {
  id: string;
  order_id: string;
  amount_minor: number;
  currency: string;
  state: PaymentState;
  intent_id: string | null;
  captured_minor: number;
  refunded_minor: number;
  refund_ids: string[];
  failure_code: string | null;
  failure_reason: string | null;
  correlation_id: string | null;
  owner_user_id: string | null;
  access_token_hash: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = `id, order_id, amount_minor, currency, state, intent_id, captured_minor, refunded_minor, refund_ids,
  failure_code, failure_reason, correlation_id, owner_user_id, access_token_hash, created_at, updated_at`;

function toRecord(r: Row): PaymentRecord {
  const payment: Payment = {
    orderId: r.order_id,
    amountMinor: Number(r.amount_minor),
    currency: r.currency,
    state: r.state,
    capturedMinor: Number(r.captured_minor),
    refundedMinor: Number(r.refunded_minor),
    refundIds: r.refund_ids,
  };
  if (r.intent_id) payment.intentId = r.intent_id;
  if (r.failure_code) payment.failureCode = r.failure_code as PaymentsErrorCode;
  return {
    id: r.id,
    payment,
    failureReason: r.failure_reason,
    correlationId: r.correlation_id,
    owner: { userId: r.owner_user_id, accessTokenHash: r.access_token_hash },
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/**
 * Creates the order's payment unless it exists; either way returns the stored one, in one round
 * trip. A row another transaction committed while this insert waited on it is not in this
 * statement's snapshot: only then is it read again.
 */
export async function insertPaymentIfAbsent(
  sql: Sql,
  input: { id: string; payment: Payment; correlationId: string | null; owner: PaymentOwner; now: Date },
): Promise<PaymentRecord> {
  const { payment: p } = input;
  const { rows } = await sql.query<Row>(
    `with inserted as (
       insert into payments.payments (id, order_id, amount_minor, currency, state, correlation_id, owner_user_id, access_token_hash, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       on conflict (order_id) do nothing
       returning ${COLUMNS}
     )
     select ${COLUMNS} from inserted
     union all
     select ${COLUMNS} from payments.payments where order_id = $2 and not exists (select 1 from inserted)`,
    [input.id, p.orderId, p.amountMinor, p.currency, p.state, input.correlationId, input.owner.userId, input.owner.accessTokenHash, input.now],
  );
  const found = rows[0] ? toRecord(rows[0]) : await findPaymentByOrder(sql, p.orderId);
  if (!found) throw new Error(`payment for order ${p.orderId} vanished after insert`);
  return found;
}

/**
 * The order's payment with its row locked until the transaction ends: every state change
 * reads and writes under this lock, so concurrent facts (webhook, shopper, retried event)
 * are applied one after the other and each sees the previous one's result.
 */
export async function lockPaymentByOrder(tx: Sql, orderId: string): Promise<PaymentRecord | null> {
  const { rows } = await tx.query<Row>(`select ${COLUMNS} from payments.payments where order_id = $1 for update`, [orderId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findPaymentByOrder(sql: Sql, orderId: string): Promise<PaymentRecord | null> {
  const { rows } = await sql.query<Row>(`select ${COLUMNS} from payments.payments where order_id = $1`, [orderId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findPaymentById(sql: Sql, id: string): Promise<PaymentRecord | null> {
  const { rows } = await sql.query<Row>(`select ${COLUMNS} from payments.payments where id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function findOrderIdByIntent(sql: Sql, intentId: string): Promise<string | null> {
  const { rows } = await sql.query<{ order_id: string }>(`select order_id from payments.payments where intent_id = $1`, [intentId]);
  return rows[0]?.order_id ?? null;
}

/** Writes the state machine's new state; call only with the row locked (see `lockPaymentByOrder`). */
export async function savePayment(tx: Sql, id: string, p: Payment, failureReason: string | null, now: Date): Promise<void> {
  await tx.query(
    `update payments.payments
        set state = $2, intent_id = $3, captured_minor = $4, refunded_minor = $5, refund_ids = $6::jsonb,
            failure_code = $7, failure_reason = coalesce($8, failure_reason), updated_at = $9
      where id = $1`,
    [id, p.state, p.intentId ?? null, p.capturedMinor, p.refundedMinor, JSON.stringify(p.refundIds), p.failureCode ?? null, failureReason, now],
  );
}

export async function savePaymentIfStill(tx: Sql, id: string, from: Payment['state'], p: Payment, failureReason: string | null, now: Date): Promise<boolean> {
  const { rowCount } = await tx.query(
    `update payments.payments
        set state = $2, intent_id = $3, captured_minor = $4, refunded_minor = $5, refund_ids = $6::jsonb,
            failure_code = $7, failure_reason = coalesce($8, failure_reason), updated_at = $9
      where id = $1 and state = $10`,
    [id, p.state, p.intentId ?? null, p.capturedMinor, p.refundedMinor, JSON.stringify(p.refundIds), p.failureCode ?? null, failureReason, now, from],
  );
  return rowCount > 0;
}

export async function recordWebhookRejection(sql: Sql, r: WebhookRejection): Promise<void> {
  await sql.query(
    `insert into payments.webhook_rejections (gateway_event_id, intent_id, order_id, reason, received_at) values ($1, $2, $3, $4, $5)`,
    [r.gatewayEventId, r.intentId, r.orderId, r.reason, r.receivedAt],
  );
}

export async function listWebhookRejections(sql: Sql, limit: number): Promise<{ total: number; items: WebhookRejection[] }> {
  const { rows: counted } = await sql.query<{ n: number }>(`select count(*)::int as n from payments.webhook_rejections`);
  const { rows } = await sql.query<{ gateway_event_id: string; intent_id: string; order_id: string | null; reason: string; received_at: Date | string }>(
    `select gateway_event_id, intent_id, order_id, reason, received_at from payments.webhook_rejections order by id desc limit $1`,
    [limit],
  );
  return {
    total: counted[0]?.n ?? 0,
    items: rows.map((r) => ({ gatewayEventId: r.gateway_event_id, intentId: r.intent_id, orderId: r.order_id, reason: r.reason, receivedAt: new Date(r.received_at) })),
  };
}

/** Newest first, optionally one order's. */
export async function listPayments(sql: Sql, filter: { orderId?: string | undefined; limit: number }): Promise<PaymentRecord[]> {
  const { rows } = await sql.query<Row>(
    `select ${COLUMNS} from payments.payments
      where ($1::uuid is null or order_id = $1::uuid)
      order by created_at desc, id desc
      limit $2`,
    [filter.orderId ?? null, filter.limit],
  );
  return rows.map(toRecord);
}

/** The PaymentRepository port over PostgreSQL/PGlite. */
export const paymentRepository: PaymentRepository = {
  insertPaymentIfAbsent,
  lockPaymentByOrder,
  findPaymentByOrder,
  findPaymentById,
  findOrderIdByIntent,
  savePayment,
  savePaymentIfStill,
  listPayments,
  recordWebhookRejection,
  listWebhookRejections,
};
