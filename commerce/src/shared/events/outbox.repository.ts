import type { Sql } from '../database/index.ts';
import type { DomainEvent } from './domain-event.ts';
import { OUTBOX_CHANNEL } from './events.migrations.ts';

/**
 * Writes events and their per-subscriber deliveries in one statement, in the caller's
 * transaction. An id already in the outbox is skipped with its fan-out, which makes
 * republishing (NATS redelivery, a retried handler) a no-op. NOTIFY inside a transaction is
 * held by PostgreSQL until commit, so a rolled-back event never wakes anyone.
 * Returns how many events were new.
 */
export async function insertEvents(sql: Sql, events: readonly DomainEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((e) => ({
    id: e.id,
    type: e.type,
    payload: e.payload,
    occurred_at: e.occurredAt,
    correlation_id: e.correlationId ?? null,
    causation_id: e.causationId ?? null,
  }));
  const { rows: inserted } = await sql.query<{ inserted: number }>(
    `with batch as (
       select (e->>'id')::uuid as id, e->>'type' as type, e->'payload' as payload,
              (e->>'occurred_at')::timestamptz as occurred_at, e->>'correlation_id' as correlation_id,
              e->>'causation_id' as causation_id, n
         from jsonb_array_elements($1::jsonb) with ordinality as x(e, n)
     ),
     saved as (
       insert into events.outbox (id, type, payload, occurred_at, correlation_id, causation_id)
       select id, type, payload, occurred_at, correlation_id, causation_id from batch order by n
       on conflict (id) do nothing
       returning id, type
     ),
     fanned as (
       insert into events.deliveries (event_id, subscriber, event_type)
       select saved.id, s.subscriber, saved.type from saved join events.subscriptions s on s.event_type = saved.type
       returning 1
     )
     select (select count(*) from saved)::int as inserted, (select count(*) from fanned)::int as deliveries`,
    [JSON.stringify(rows)],
  );
  const count = inserted[0]?.inserted ?? 0;
  if (count > 0) await notifyOutbox(sql);
  return count;
}

export async function notifyOutbox(sql: Sql): Promise<void> {
  await sql.query(`select pg_notify($1, '')`, [OUTBOX_CHANNEL]);
}

/** Stores which subscriber wants which type; publish fans out from here from now on. */
export async function registerSubscriptions(sql: Sql, pairs: readonly { subscriber: string; eventType: string }[]): Promise<void> {
  if (pairs.length === 0) return;
  await sql.query(
    `insert into events.subscriptions (subscriber, event_type)
     select subscriber, event_type from jsonb_to_recordset($1::jsonb) as x(subscriber text, event_type text)
     on conflict do nothing`,
    [JSON.stringify(pairs.map((p) => ({ subscriber: p.subscriber, event_type: p.eventType })))],
  );
}
