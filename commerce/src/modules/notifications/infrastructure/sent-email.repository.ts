import type { EmailKind, SentEmail, SentEmailRepository } from '../application/ports/sent-email.repository.ts';

interface Row {
  idempotency_key: string;
  order_id: string;
  kind: EmailKind;
  recipient: string;
  subject: string;
  message_id: string;
  sent_at: Date | string;
}

const INSERT = `insert into notifications.sent_emails (idempotency_key, order_id, kind, recipient, subject, message_id, sent_at)
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (idempotency_key) do nothing`;

const valuesOf = (e: SentEmail) => [e.idempotencyKey, e.orderId, e.kind, e.to, e.subject, e.messageId, e.sentAt];

export function createSentEmailRepository(): SentEmailRepository {
  return {
    async record(sql, e) {
      await sql.query(INSERT, valuesOf(e));
    },
    recordStatement(e) {
      return { ctes: `recorded as (${INSERT})`, values: valuesOf(e) };
    },
    async listFor(sql, orderId) {
      const { rows } = await sql.query<Row>(
        `select idempotency_key, order_id, kind, recipient, subject, message_id, sent_at
           from notifications.sent_emails where order_id = $1 order by sent_at, idempotency_key`,
        [orderId],
      );
      return rows.map(
        (r): SentEmail => ({
          idempotencyKey: r.idempotency_key,
          orderId: r.order_id,
          kind: r.kind,
          to: r.recipient,
          subject: r.subject,
          messageId: r.message_id,
          sentAt: new Date(r.sent_at),
        }),
      );
    },
  };
}
