import type { Sql } from '../database/index.ts';
import type { DeliveryStatus } from './delivery.repository.ts';
import { notifyOutbox } from './outbox.repository.ts';

export interface DeliveryView {
  id: number;
  eventId: string;
  eventType: string;
  subscriber: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
  payload: unknown;
  correlationId: string | null;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  subscriber?: string;
  eventType?: string;
  eventId?: string;
  /** Keyset paging: only deliveries with a smaller id (newest first). */
  beforeId?: number;
  limit?: number;
}

export interface SubscriberStats {
  subscriber: string;
  pending: number;
  processing: number;
  done: number;
  dead: number;
  /** Seconds since the oldest still-pending delivery was created; 0 when none. */
  oldestPendingAgeSeconds: number;
}

export type ReplayResult = { ok: true; delivery: DeliveryView } | { ok: false; code: 'NOT_FOUND' | 'NOT_DEAD' };

/** What a replay of several dead deliveries did to each. */
export interface ReplayManyResult {
  replayed: DeliveryView[];
  /** Ids that were not replayed, and why (unknown, or not dead: done meanwhile or already replayed). */
  skipped: Array<{ id: number; reason: 'NOT_FOUND' | 'NOT_DEAD' }>;
}

/** What an operator can do with the bus; the admin routes and metrics are thin layers over this. */
export interface EventAdmin {
  listDeliveries(filter?: DeliveryFilter): Promise<DeliveryView[]>;
  stats(): Promise<SubscriberStats[]>;
  /** Gives a dead delivery a fresh set of attempts, due now. */
  replay(deliveryId: number): Promise<ReplayResult>;
  /**
   * Replays each of these dead deliveries, or (`ids` absent) up to `limit` dead ones of a
   * subscriber or event type, newest first. Each is replayed on its own, as `replay` does.
   */
  replayMany(selection: { ids: readonly number[] } | { subscriber?: string; eventType?: string; limit: number }): Promise<ReplayManyResult>;
}

interface DeliveryRow {
  id: number;
  event_id: string;
  event_type: string;
  subscriber: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | string;
  locked_by: string | null;
  locked_until: Date | string | null;
  last_error: string | null;
  created_at: Date | string;
  done_at: Date | string | null;
  payload: unknown;
  correlation_id: string | null;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const isoOrNull = (v: Date | string | null) => (v === null ? null : iso(v));

const SELECT_DELIVERY = `
  select d.id, d.event_id, d.event_type, d.subscriber, d.status, d.attempts, d.next_attempt_at, d.locked_by,
         d.locked_until, d.last_error, d.created_at, d.done_at, o.payload, o.correlation_id
    from events.deliveries d join events.outbox o on o.id = d.event_id`;

function toView(r: DeliveryRow): DeliveryView {
  return {
    id: r.id,
    eventId: r.event_id,
    eventType: r.event_type,
    subscriber: r.subscriber,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    lockedBy: r.locked_by,
    lockedUntil: isoOrNull(r.locked_until),
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    doneAt: isoOrNull(r.done_at),
    payload: r.payload,
    correlationId: r.correlation_id,
  };
}

export function createEventAdmin(db: Sql): EventAdmin {
  return {
    async listDeliveries(filter = {}) {
      const { rows } = await db.query<DeliveryRow>(
        `${SELECT_DELIVERY}
          where ($1::text is null or d.status = $1)
            and ($2::text is null or d.subscriber = $2)
            and ($3::text is null or d.event_type = $3)
            and ($4::uuid is null or d.event_id = $4)
            and ($5::bigint is null or d.id < $5)
          order by d.id desc
          limit $6`,
        [
          filter.status ?? null,
          filter.subscriber ?? null,
          filter.eventType ?? null,
          filter.eventId ?? null,
          filter.beforeId ?? null,
          Math.min(Math.max(filter.limit ?? 50, 1), 500),
        ],
      );
      return rows.map(toView);
    },
    async stats() {
      const { rows } = await db.query<SubscriberStats>(
        `select subscriber,
                count(*) filter (where status = 'pending')::int as pending,
                count(*) filter (where status = 'processing')::int as processing,
                count(*) filter (where status = 'done')::int as done,
                count(*) filter (where status = 'dead')::int as dead,
                coalesce(extract(epoch from now() - min(created_at) filter (where status = 'pending')), 0)::float8
                  as "oldestPendingAgeSeconds"
           from events.deliveries group by subscriber order by subscriber`,
      );
      return rows;
    },
    async replay(deliveryId) {
      // One statement returns the row as replayed: a dispatcher may claim it the moment it commits.
      const { rows } = await db.query<Partial<DeliveryRow> & { found: boolean }>(
        `with target as (select id, status from events.deliveries where id = $1),
         replayed as (
           update events.deliveries d
              set status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
             from target, events.outbox o
            where d.id = target.id and target.status = 'dead' and o.id = d.event_id
           returning d.id, d.event_id, d.event_type, d.subscriber, d.status, d.attempts, d.next_attempt_at, d.locked_by,
                     d.locked_until, d.last_error, d.created_at, d.done_at, o.payload, o.correlation_id
         )
         select true as found, replayed.* from target left join replayed on true`,
        [deliveryId],
      );
      const row = rows[0];
      if (!row) return { ok: false, code: 'NOT_FOUND' };
      if (row.id === null || row.id === undefined) return { ok: false, code: 'NOT_DEAD' };
      await notifyOutbox(db);
      return { ok: true, delivery: toView(row as DeliveryRow) };
    },
    async replayMany(selection) {
      const ids =
        'ids' in selection
          ? [...new Set(selection.ids)]
          : (await this.listDeliveries({ status: 'dead', subscriber: selection.subscriber, eventType: selection.eventType, limit: selection.limit })).map((d) => d.id);
      const result: ReplayManyResult = { replayed: [], skipped: [] };
      for (const id of ids) {
        const one = await this.replay(id);
        if (one.ok) result.replayed.push(one.delivery);
        else result.skipped.push({ id, reason: one.code });
      }
      return result;
    },
  };
}
