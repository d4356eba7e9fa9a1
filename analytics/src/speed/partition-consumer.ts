import type { Logger } from 'pino';
import type { AggregateStore, AnalyticsEvent, MetricDeclaration } from '../contracts/index.ts';
import type { EventLog, LogRecord } from '../log/index.ts';
import { PartitionBuffer } from './partition-buffer.ts';
import { defaultVisitTimeout, VisitBook, type VisitTimeout } from './visit-book.ts';
import { warmVisits } from './warm-visits.ts';
import type { TenantGoals } from './tenant-goals.ts';

export interface ConsumerStats {
  /** Records read, excluded ones included. */
  events: number;
  /** Records the exclusion skipped: read, never counted. */
  excluded: number;
  flushes: number;
  duplicates: number;
  conflicts: number;
}

/**
 * How a run starts, ends and writes. `live`: from the stored positions, until stopped, with
 * `applyBatch`, retrying failures forever. `bounded`: up to `until` (exclusive) per partition, then
 * done; failures end the run. Its `write` is `positions` (from the stored positions, `applyBatch`:
 * a replay) or `cells` (from the log's first offset, `applyCells`, positions untouched: a rebuild).
 */
export type ConsumerMode = { kind: 'live' } | { kind: 'bounded'; until: ReadonlyMap<number, number>; write: 'positions' | 'cells' };

export interface ConsumerOptions {
  log: EventLog;
  store: AggregateStore;
  logger: Logger;
  partitions: readonly number[];
  metrics: readonly MetricDeclaration[];
  /** Stands in for an unreadable `receivedAt` when judging lateness. */
  now: () => number;
  /** Called once per record: true skips it entirely while its offset still advances. */
  exclude?: (event: AnalyticsEvent) => boolean;
  /**
   * Brings what `exclude` consults up to date. Called after a refused flush and before reading
   * those records again: a purge refuses the first flush after it, so records are judged again
   * under the erasure that preceded the purge, with no timing assumption.
   */
  syncExclude?: () => Promise<unknown>;
  flushMs: number;
  maxBufferedEvents: number;
  mode: ConsumerMode;
  /** Each tenant's visit timeout; default 30 minutes for all. */
  visitTimeout?: VisitTimeout;
  /** Each tenant's goals; none by default (the goal metrics stay empty). */
  goals?: TenantGoals;
}

export interface Consumer {
  /** Settles when the run ends: a bounded run once it reached `until`, any run once stopped. */
  done: Promise<void>;
  /** Flushes what is buffered (best effort for a live run) and ends the run. */
  stop(): Promise<void>;
  stats(): ConsumerStats;
}

const READ_MAX = 1000;

interface Arrival {
  partition: number;
  from: number;
  records: LogRecord[];
  error?: unknown;
}

/**
 * The one fold-and-flush loop behind the live speed layer, the replay and the per-tenant rebuild:
 * reads its partitions, folds records into per-partition buffers and writes each flush with one
 * store call, so Redis sees one script call per flush, not one command per event. On `conflict`
 * (another member wrote the partition, or a purge fenced it) it drops its buffers and resumes from
 * the stored position.
 *
 * @example
 * const run = consumePartitions({ log, store, logger, partitions: [0, 1], metrics: METRICS, now: Date.now,
 *   flushMs: 250, maxBufferedEvents: 5000, mode: { kind: 'bounded', until: new Map([[0, 10], [1, 7]]), write: 'positions' } });
 * await run.done;
 */
export function consumePartitions(options: ConsumerOptions): Consumer {
  const { log, store, logger, partitions, metrics, now, exclude, syncExclude, flushMs, maxBufferedEvents, mode } = options;
  const until = mode.kind === 'bounded' ? mode.until : undefined;
  const writeCells = mode.kind === 'bounded' && mode.write === 'cells';
  const stats: ConsumerStats = { events: 0, excluded: 0, flushes: 0, duplicates: 0, conflicts: 0 };
  const next = new Map<number, number>();
  let buffers = new Map<number, PartitionBuffer>();
  const visitBooks = new Map<number, VisitBook>();
  const visitBook = (p: number) => {
    let book = visitBooks.get(p);
    if (!book) visitBooks.set(p, (book = new VisitBook(options.visitTimeout ?? defaultVisitTimeout)));
    return book;
  };
  let buffered = 0;
  let lastFlush = performance.now();
  let running = true;
  let resync = false;

  const start = async (missing: number[]) => {
    const stored = writeCells ? new Map<number, number>() : await store.positions(missing);
    for (const p of missing) {
      const position = stored.get(p) ?? (await log.bounds(p)).first;
      // The visits open at the position: re-read (not re-counted) unless this consumer already holds them.
      if (!visitBooks.has(p)) {
        const warm = new PartitionBuffer(p, position, metrics, store.retention.minuteMs, visitBook(p));
        await warmVisits(log, p, position, warm, exclude, now());
        warm.commitVisits();
      }
      next.set(p, position);
    }
  };
  const remaining = (p: number) => (until ? (until.get(p) ?? 0) - (next.get(p) ?? 0) : READ_MAX);
  const finished = () => until !== undefined && next.size === partitions.length && partitions.every((p) => remaining(p) <= 0);

  const flush = async (): Promise<void> => {
    lastFlush = performance.now();
    if (buffers.size === 0) return;
    const batch = [...buffers.values()];
    if (writeCells) {
      // A rebuild skips other tenants' records: their batches carry nothing to write.
      const content = batch.map((b) => b.toBatch()).filter((b) => b.cells.length > 0 || b.tenants.length > 0);
      if (content.length > 0) await store.applyCells(content);
      for (const b of batch) b.commitVisits();
      buffers = new Map();
      buffered = 0;
      stats.flushes++;
      return;
    }
    const outcomes = await store.applyBatch(batch.map((b) => b.toBatch()));
    buffers = new Map();
    buffered = 0;
    stats.flushes++;
    // A duplicate was applied before (a replay): the visits it folded are as counted.
    batch.forEach((b, i) => outcomes[i] !== 'conflict' && b.commitVisits());
    const conflicted = batch.filter((_, i) => outcomes[i] === 'conflict').map((b) => b.partition);
    stats.duplicates += outcomes.filter((o) => o === 'duplicate').length;
    stats.conflicts += conflicted.length;
    if (conflicted.length > 0) {
      logger.warn({ partitions: conflicted }, 'stored position moved or was fenced; resuming from the store');
      // Resumed from the store by the next step, after the exclusion list is synced (retried if that fails).
      for (const p of conflicted) next.delete(p);
      resync = syncExclude !== undefined;
    }
  };

  // One read in flight per partition, each waiting on its own: an idle partition's wait never
  // holds back a busy one (a shared `Promise.all` capped a busy partition at READ_MAX per wait).
  const pending = new Map<number, Promise<void>>();
  let arrived: Arrival[] = [];

  const readOnce = async () => {
    const waitMs = Math.max(10, Math.min(flushMs, 200));
    for (const p of partitions) {
      if (pending.has(p) || remaining(p) <= 0) continue;
      const from = next.get(p) ?? 0;
      const read = log
        .read(p, from, { max: Math.min(READ_MAX, remaining(p)), waitMs })
        .then(
          (records) => void arrived.push({ partition: p, from, records }),
          (error: unknown) => void arrived.push({ partition: p, from, records: [], error }),
        )
        .finally(() => pending.delete(p));
      pending.set(p, read);
    }
    if (arrived.length === 0 && pending.size > 0) await Promise.race(pending.values());
    const at = now();
    const ready = arrived;
    arrived = [];
    for (const { partition: p, from, records, error } of ready) {
      if (error !== undefined) throw error;
      // Read before a conflict moved the partition back: the next read starts from the store's position.
      if (next.get(p) !== from) continue;
      for (const record of records) {
        if (until && record.offset >= (until.get(p) ?? 0)) break;
        let buffer = buffers.get(p);
        if (!buffer) buffers.set(p, (buffer = new PartitionBuffer(p, next.get(p) ?? record.offset, metrics, store.retention.minuteMs, visitBook(p), options.goals)));
        if (exclude?.(record.value)) {
          buffer.skip(record.offset);
          stats.excluded++;
        } else {
          buffer.add(record.offset, record.value, at);
        }
        next.set(p, record.offset + 1);
        buffered++;
        stats.events++;
      }
    }
  };

  const step = async () => {
    if (resync) {
      await syncExclude?.();
      resync = false;
    }
    if (next.size < partitions.length) await start(partitions.filter((p) => !next.has(p)));
    if (finished()) {
      await flush();
      // A conflict may have moved a partition back; otherwise the run is complete.
      if (finished()) running = false;
      return;
    }
    // A failed flush keeps its buffers (and stops reading) until the store is back.
    if (buffered < maxBufferedEvents) await readOnce();
    if (buffered >= maxBufferedEvents || performance.now() - lastFlush >= flushMs) await flush();
  };

  const loop = async () => {
    if (mode.kind === 'bounded') {
      while (running) await step();
      await flush();
      return;
    }
    let failures = 0;
    while (running) {
      try {
        await step();
        failures = 0;
      } catch (error) {
        failures++;
        logger.error({ err: error, failures }, 'speed layer step failed; retrying');
        await sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
    try {
      await flush();
    } catch (error) {
      // Nothing is lost: the positions were not saved either, so the next start replays these records.
      logger.warn({ err: error }, 'final flush failed; the records will be replayed');
    }
  };

  const done = loop();
  return {
    done,
    async stop() {
      running = false;
      await done;
    },
    stats: () => ({ ...stats }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
