import type { Sql } from '../database/index.ts';
import type { DomainEvent } from './domain-event.ts';
import { OUTBOX_CHANNEL } from './events.migrations.ts';

/** Deliveries `insertEvents` leased to the publishing instance, to run once the transaction commits, or written done to run inline before it. */
export interface LeasedDelivery {
  id: number;
  eventId: string;
  subscriber: string;
  /** Written done with its inbox mark: its handler runs in the publishing transaction (see `createInlineDeliveries`). */
  inline: boolean;
  /** Inline only: the inbox mark is new, the subscriber has not handled this event id before. */
  first: boolean;
}

/**
 * Writes events and their per-subscriber deliveries in one statement, in the caller's
 * transaction. An id already in the outbox is skipped with its fan-out, which makes
 * republishing (NATS redelivery, a retried handler) a no-op.
 *
 * With `lease`, the deliveries of the (subscriber, type) pairs the publishing instance handles
 * itself are written already leased to it (processing, attempt 1), and returned: the instance
 * runs them right after commit, without claiming them. The rows stay the durable record; if the
 * instance dies first, the lease runs out and any instance's poll takes them over. Deliveries
 * left pending (subscribers only other instances have) wake the other dispatchers with a NOTIFY
 * issued by the same statement, which PostgreSQL holds until commit.
 *
 * Pairs marked `inline` are written done instead, with their subscriber's inbox mark, by the same
 * statement: the publishing instance runs their handlers in this transaction before it commits,
 * so they commit (or roll back) with it and need no transaction, mark or completion of their own.
 */
export async function insertEvents(
  sql: Sql,
  events: readonly DomainEvent[],
  /** `pairs`: JSON array of `{ subscriber, event_type, inline? }`, the pairs this instance handles. */
  lease?: { instanceId: string; leaseMs: number; pairs: string },
): Promise<{ inserted: number; leased: LeasedDelivery[] }> {
  if (events.length === 0) return { inserted: 0, leased: [] };
  const rows = events.map((e) => ({
    id: e.id,
    type: e.type,
    payload: e.payload,
    occurred_at: e.occurredAt,
    correlation_id: e.correlationId ?? null,
    causation_id: e.causationId ?? null,
  }));
  const { rows: result } = await sql.query<{
    inserted: number;
    leased: Array<{ id: number; event_id: string; subscriber: string; inline: boolean; first: boolean }>;
  }>(
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
     local as (
       select subscriber, event_type, coalesce(inline, false) as inline
         from jsonb_to_recordset($2::jsonb) as l(subscriber text, event_type text, inline boolean)
     ),
     fanned as (
       insert into events.deliveries (event_id, subscriber, event_type, status, attempts, locked_by, locked_until, done_at)
       select saved.id, s.subscriber, saved.type,
              case when l.subscriber is null then 'pending' when l.inline then 'done' else 'processing' end,
              case when l.subscriber is null then 0 else 1 end,
              case when l.subscriber is null or l.inline then null else $3::text end,
              case when l.subscriber is null or l.inline then null else now() + make_interval(secs => $4::double precision / 1000) end,
              case when l.inline then now() end
         from saved join events.subscriptions s on s.event_type = saved.type
         left join local l on l.subscriber = s.subscriber and l.event_type = saved.type
       returning id, event_id, subscriber, status
     ),
     marked as (
       insert into events.inbox (subscriber, event_id)
       select subscriber, event_id from fanned where status = 'done'
       on conflict do nothing
       returning subscriber, event_id
     ),
     woken as (
       select pg_notify($5, '') from (select 1 from fanned where status = 'pending' limit 1) as any_pending
     )
     select (select count(*) from saved)::int as inserted,
            (select count(*) from woken)::int as woken,
            coalesce((select jsonb_agg(jsonb_build_object('id', f.id, 'event_id', f.event_id, 'subscriber', f.subscriber, 'inline', f.status = 'done',
                                                          'first', exists (select 1 from marked m where m.subscriber = f.subscriber and m.event_id = f.event_id))
                                       order by f.id)
                        from fanned f where f.status <> 'pending'), '[]'::jsonb) as leased`,
    [JSON.stringify(rows), lease?.pairs ?? '[]', lease?.instanceId ?? null, lease?.leaseMs ?? 0, OUTBOX_CHANNEL],
  );
  const row = result[0];
  return {
    inserted: row?.inserted ?? 0,
    leased: (row?.leased ?? []).map((d) => ({ id: Number(d.id), eventId: d.event_id, subscriber: d.subscriber, inline: d.inline, first: d.first })),
  };
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
