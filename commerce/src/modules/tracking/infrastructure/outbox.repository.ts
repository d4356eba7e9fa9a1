import type { Sql } from '../../../shared/database/index.ts';
import type { MessageSpool } from '../application/ports/message-spool.port.ts';
import type { SegmentMessage } from '../domain/segment-message.ts';

export interface SpooledMessage {
  id: string;
  message: SegmentMessage;
}

/**
 * Appends messages in one statement (a JSON array expanded in SQL, the same on PGlite and
 * PostgreSQL). A `messageId` already spooled is skipped, so a redelivered order event adds nothing.
 */
export async function spoolMessages(sql: Sql, messages: readonly SegmentMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const { rowCount } = await sql.query(
    `insert into tracking.outbox (message_id, message)
     select m->>'messageId', m from jsonb_array_elements($1::jsonb) with ordinality as t(m, n) order by n
     on conflict (message_id) do nothing`,
    [JSON.stringify(messages)],
  );
  return rowCount;
}

/**
 * Leases up to `limit` of the oldest unclaimed (or lease-expired) messages. `SKIP LOCKED` lets
 * several instances claim disjoint batches; the lease (not an open transaction) covers the
 * HTTP send, so no connection is held while the collector answers.
 */
export async function claimMessages(sql: Sql, limit: number, leaseMs: number): Promise<SpooledMessage[]> {
  const { rows } = await sql.query<{ id: string; message: SegmentMessage }>(
    `update tracking.outbox o set locked_until = now() + $2 * interval '1 millisecond', attempts = o.attempts + 1
     where o.id in (
       select id from tracking.outbox
       where locked_until is null or locked_until < now()
       order by id limit $1
       for update skip locked)
     returning o.id::text as id, o.message`,
    [limit, leaseMs],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Delivered, or dropped as invalid: gone for good. */
export async function deleteMessages(sql: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql.query(`delete from tracking.outbox where id in (select (jsonb_array_elements_text($1::jsonb))::bigint)`, [JSON.stringify(ids)]);
}

/** A failed send gives the messages back at once; the forwarder's back-off spaces the retries. */
export async function releaseMessages(sql: Sql, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql.query(`update tracking.outbox set locked_until = null where id in (select (jsonb_array_elements_text($1::jsonb))::bigint)`, [
    JSON.stringify(ids),
  ]);
}

export async function countSpooled(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: string | number }>('select count(*) as n from tracking.outbox');
  return Number(rows[0]?.n ?? 0);
}

/** The MessageSpool port over the `tracking.outbox` table. */
export const messageSpool: MessageSpool = { spoolMessages };
