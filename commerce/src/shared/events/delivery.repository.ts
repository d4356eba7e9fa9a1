import type { Sql } from '../database/index.ts';
import type { DomainEvent } from './domain-event.ts';
import type { OnceStatement } from './event-handler.ts';

export type DeliveryStatus = 'pending' | 'processing' | 'done' | 'dead';

/** A delivery this instance holds the lease on, with the event it carries. */
export interface ClaimedDelivery {
  id: number;
  subscriber: string;
  attempts: number;
  event: DomainEvent;
}

interface ClaimedRow {
  id: number;
  subscriber: string;
  attempts: number;
  event_id: string;
  type: string;
  payload: unknown;
  occurred_at: Date | string;
  correlation_id: string | null;
  causation_id: string | null;
}

const iso = (value: Date | string) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString());

/**
 * Leases up to `limit` deliveries of the wanted (subscriber, type) pairs: due pending ones, and processing ones whose
 * lease ran out (their instance crashed or hung). `FOR UPDATE SKIP LOCKED` lets several instances
 * claim at once without waiting on, or taking, each other's rows; the attempt counter is
 * bumped here so a crash mid-handler still counts as an attempt.
 */
export async function claimDeliveries(
  sql: Sql,
  args: {
    /** JSON array of `{ subscriber, event_type }`: only what this instance has handlers for. */
    wanted: string;
    limit: number;
    instanceId: string;
    leaseMs: number;
  },
): Promise<ClaimedDelivery[]> {
  const { rows } = await sql.query<ClaimedRow>(
    `with wanted as (
       select * from jsonb_to_recordset($1::jsonb) as w(subscriber text, event_type text)
     ),
     due as (
       select d.id from events.deliveries d
         join wanted w on w.subscriber = d.subscriber and w.event_type = d.event_type
        where (d.status = 'pending' and d.next_attempt_at <= now())
           or (d.status = 'processing' and d.locked_until < now())
        order by d.id
        limit $2
        for update of d skip locked
     )
     update events.deliveries d
        set status = 'processing', attempts = d.attempts + 1, locked_by = $3,
            locked_until = now() + make_interval(secs => $4::double precision / 1000), updated_at = now()
       from due, events.outbox o
      where d.id = due.id and o.id = d.event_id
     returning d.id, d.subscriber, d.attempts, o.id as event_id, o.type, o.payload, o.occurred_at, o.correlation_id, o.causation_id`,
    [args.wanted, args.limit, args.instanceId, args.leaseMs],
  );
  return rows
    .sort((a, b) => a.id - b.id)
    .map((r) => {
      const event: DomainEvent = { id: r.event_id, type: r.type, payload: r.payload, occurredAt: iso(r.occurred_at) };
      if (r.correlation_id) event.correlationId = r.correlation_id;
      if (r.causation_id) event.causationId = r.causation_id;
      return { id: r.id, subscriber: r.subscriber, attempts: r.attempts, event };
    });
}

type Lease = { id: number; instanceId: string; attempts: number };

/**
 * The first statement of a `context.once` transaction, for every delivery of one event whose
 * handler joined it: the subscribers' inbox marks (which of them handle the event for the first
 * time) and the deliveries' completions, in one round trip. The lease (instance + attempt) fences each
 * completion: an instance whose lease was taken over after it expired must not overwrite the new
 * holder's result. All commit with the handlers' writes or roll back with them. `head`: one member's
 * `onceStartingWith` CTEs, acting when that subscriber's mark is new, with their `result`.
 */
export async function markHandledAndDone(
  tx: Sql,
  eventId: string,
  instanceId: string,
  deliveries: ReadonlyArray<{ subscriber: string; id: number; attempts: number }>,
  head?: { subscriber: string; work: OnceStatement },
): Promise<{ first: Set<string>; done: Set<number>; result: unknown }> {
  const headed = head
    ? `first_handling as (select 1 from marked where subscriber = $6),
     ${appended(head.work, 6)},`
    : '';
  const { rows } = await tx.query<{ first: string[] | null; done: Array<number | string> | null; result: unknown }>(
    `with joined as (
       select * from unnest($1::text[], $2::bigint[], $3::int[]) as j(subscriber, id, attempts)
     ),
     marked as (
       insert into events.inbox (subscriber, event_id) select subscriber, $4::uuid from joined
       on conflict do nothing returning subscriber
     ),
     ${headed}
     completed as (
       update events.deliveries d
          set status = 'done', locked_by = null, locked_until = null, done_at = now(), updated_at = now()
         from joined j
        where d.id = j.id and d.status = 'processing' and d.locked_by = $5 and d.attempts = j.attempts
       returning d.id
     )
     select (select array_agg(subscriber) from marked) as first, (select array_agg(id) from completed) as done, ${head?.work.result ?? 'null'} as result`,
    [
      deliveries.map((d) => d.subscriber),
      deliveries.map((d) => d.id),
      deliveries.map((d) => d.attempts),
      eventId,
      instanceId,
      ...(head ? [head.subscriber, ...head.work.values] : []),
    ],
  );
  const row = rows[0];
  return { first: new Set(row?.first ?? []), done: new Set((row?.done ?? []).map(Number)), result: row?.result ?? null };
}

/** `work`'s CTEs with their parameters renumbered to follow `before` others. */
function appended(work: OnceStatement, before: number): string {
  return work.ctes.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + before}`);
}

/**
 * A `onceInStatement` of an ordinary delivery, as one statement: the subscriber's inbox mark, the
 * delivery's completion fenced by its lease (as in `markHandledAndDone`), and the work's CTEs, which
 * act only when the mark is new. Atomic without a transaction: nothing is left half done.
 */
export async function markDoneWithWork(
  sql: Sql,
  args: { eventId: string; instanceId: string; delivery: { subscriber: string; id: number; attempts: number } },
  work: OnceStatement,
): Promise<{ first: boolean; done: boolean }> {
  const { rows } = await sql.query<{ first: boolean; done: boolean }>(
    `with first_handling as (
       insert into events.inbox (subscriber, event_id) values ($1, $2::uuid) on conflict do nothing returning 1
     ),
     ${completedOne(3)},
     ${appended(work, 5)}
     select exists (select 1 from first_handling) as first, exists (select 1 from completed) as done`,
    [args.delivery.subscriber, args.eventId, args.delivery.id, args.instanceId, args.delivery.attempts, ...work.values],
  );
  return { first: rows[0]?.first === true, done: rows[0]?.done === true };
}

/**
 * A `completeInStatement`: the delivery's completion fenced by its lease and the work's CTEs, with
 * no inbox mark (the work is idempotent on its own). Resolves whether the delivery was still this attempt's.
 */
export async function markDoneWithIdempotentWork(sql: Sql, lease: Lease, work: OnceStatement): Promise<boolean> {
  const { rows } = await sql.query<{ done: boolean }>(
    `with ${completedOne(1)},
     ${appended(work, 3)}
     select exists (select 1 from completed) as done`,
    [lease.id, lease.instanceId, lease.attempts, ...work.values],
  );
  return rows[0]?.done === true;
}

/** CTE `completed`: one delivery's completion, fenced by its lease in parameters `$n` (id), `$n+1` (instance), `$n+2` (attempt). */
function completedOne(n: number): string {
  return `completed as (
       update events.deliveries d
          set status = 'done', locked_by = null, locked_until = null, done_at = now(), updated_at = now()
        where d.id = $${n} and d.status = 'processing' and d.locked_by = $${n + 1} and d.attempts = $${n + 2}
       returning d.id
     )`;
}

/**
 * A `onceInStatement` whose inbox mark is already written and new, or a `completeInStatement`, of an
 * inline delivery (done by the publishing statement): the work's CTEs alone, with their `result`.
 */
export async function runMarkedWork(sql: Sql, work: OnceStatement): Promise<unknown> {
  const { rows } = await sql.query<{ result: unknown }>(`with first_handling as (select 1), ${appended(work, 0)} select ${work.result ?? 'null'} as result`, [
    ...work.values,
  ]);
  return rows[0]?.result ?? null;
}

/** Completion, fenced by the lease, for several deliveries of one instance in one statement; resolves to the ids that were still theirs. */
export async function markManyDone(sql: Sql, instanceId: string, leases: ReadonlyArray<{ id: number; attempts: number }>): Promise<Set<number>> {
  const { rows } = await sql.query<{ id: number }>(
    `update events.deliveries d
        set status = 'done', locked_by = null, locked_until = null, done_at = now(), updated_at = now()
       from unnest($1::bigint[], $2::int[]) as x(id, attempts)
      where d.id = x.id and d.status = 'processing' and d.locked_by = $3 and d.attempts = x.attempts
     returning d.id`,
    [leases.map((l) => l.id), leases.map((l) => l.attempts), instanceId],
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/**
 * Inline deliveries whose handler failed, after the transaction went back to before their work:
 * they become what `insertEvents` writes for any delivery of this instance (processing, attempt 1,
 * leased to it), without their inbox marks, to run after the commit as ordinary deliveries.
 */
export async function reopenInlined(
  tx: Sql,
  args: { instanceId: string; leaseMs: number; deliveries: ReadonlyArray<{ id: number; first: boolean }> },
): Promise<void> {
  // Only the marks the publishing statement wrote go: one that was there before records an earlier handling.
  await tx.query(
    `with reopened as (
       update events.deliveries
          set status = 'processing', attempts = 1, locked_by = $2, done_at = null, updated_at = now(),
              locked_until = now() + make_interval(secs => $3::double precision / 1000)
        where id = any($1::bigint[]) and status = 'done'
       returning id, subscriber, event_id
     )
     delete from events.inbox i using reopened r
      where i.subscriber = r.subscriber and i.event_id = r.event_id and r.id = any($4::bigint[])`,
    [args.deliveries.map((d) => d.id), args.instanceId, args.leaseMs, args.deliveries.filter((d) => d.first).map((d) => d.id)],
  );
}

/**
 * Gives back leases taken at publish time that this instance will not run (it is stopping): they
 * become pending again, uncounted, for any instance to claim now instead of after the lease.
 */
export async function releaseLeases(sql: Sql, instanceId: string, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await sql.query(
    `update events.deliveries
        set status = 'pending', attempts = attempts - 1, locked_by = null, locked_until = null, next_attempt_at = now(), updated_at = now()
      where id = any($1::bigint[]) and status = 'processing' and locked_by = $2`,
    [ids, instanceId],
  );
}

/**
 * A failed attempt: back to pending after `retryInMs`, or dead when `dead` (no attempts left, or
 * hopeless). A delivery already marked done by this attempt's own `once` transaction is reopened
 * too: the handler failed after it, and the retry must run what followed (the inbox skips the rest).
 */
export async function markFailed(
  sql: Sql,
  lease: Lease,
  outcome: { error: string; dead: boolean; retryInMs: number; doneInTransaction?: boolean },
): Promise<boolean> {
  const { rowCount } = await sql.query(
    `update events.deliveries
        set status = case when $4 then 'dead' else 'pending' end,
            next_attempt_at = now() + make_interval(secs => $5::double precision / 1000),
            last_error = $6, locked_by = null, locked_until = null, updated_at = now()
      where id = $1 and attempts = $3 and (status = 'processing' and locked_by = $2 or status = 'done' and $7::boolean)`,
    [lease.id, lease.instanceId, lease.attempts, outcome.dead, outcome.retryInMs, outcome.error.slice(0, 4000), outcome.doneInTransaction === true],
  );
  return rowCount > 0;
}
