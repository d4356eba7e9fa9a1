import type { Logger } from 'pino';
import { METRICS, type MetricDeclaration } from '../contracts/metrics.ts';
import type { EventLog } from '../log/event-log.ts';
import { ownedPartitions } from '../log/partition-ownership.ts';
import type { AggregateStore } from './aggregate-store.ts';
import { PartitionBuffer } from './partition-buffer.ts';

export interface SpeedLayerOptions {
  log: EventLog;
  store: AggregateStore;
  /** This process's share: partition p is read by member p % count. Default: all partitions. */
  members?: { index: number; count: number };
  logger: Logger;
  /** Longest time events wait in memory before a flush. Default 250 ms. */
  flushMs?: number;
  /** Flush sooner once this many events are buffered. Default 5,000. */
  maxBufferedEvents?: number;
  metrics?: readonly MetricDeclaration[];
  /** The business clock that decides lateness (not flush cadence, which uses a monotonic timer). */
  now?: () => number;
}

export interface SpeedLayerStats {
  events: number;
  flushes: number;
  duplicates: number;
  conflicts: number;
}

export interface SpeedLayer {
  /** Flushes what is buffered (best effort) and stops reading. */
  stop(): Promise<void>;
  stats(): SpeedLayerStats;
}

const READ_MAX = 1000;

/**
 * The stream processor: reads its partitions from the positions stored with the aggregates,
 * folds events into per-partition buffers and writes each flush with one atomic `applyBatch`,
 * so Redis sees one script call per flush, not one command per event. On `conflict` (another
 * member wrote the partition) it drops its buffer and resumes from the stored position.
 *
 * @example
 * const speed = startSpeedLayer({ log, store, logger, members: { index: 0, count: 2 } });
 * onShutdownSignal(logger, () => [{ name: 'speed layer', stop: speed.stop }]);
 */
export function startSpeedLayer(options: SpeedLayerOptions): SpeedLayer {
  const { log, store, logger } = options;
  const now = options.now ?? Date.now;
  const flushMs = options.flushMs ?? 250;
  const maxBuffered = options.maxBufferedEvents ?? 5000;
  const metrics = options.metrics ?? METRICS;
  const members = options.members ?? { index: 0, count: 1 };
  const owned = ownedPartitions(members.index, members.count, log.partitions);
  const stats: SpeedLayerStats = { events: 0, flushes: 0, duplicates: 0, conflicts: 0 };
  const next = new Map<number, number>();
  let buffers = new Map<number, PartitionBuffer>();
  let buffered = 0;
  let lastFlush = performance.now();
  let running = true;

  const resume = async (partitions: number[]) => {
    const stored = await store.positions(partitions);
    for (const p of partitions) next.set(p, stored.get(p) ?? (await log.bounds(p)).first);
  };

  const flush = async (): Promise<void> => {
    lastFlush = performance.now();
    if (buffers.size === 0) return;
    const batch = [...buffers.values()];
    const outcomes = await store.applyBatch(batch.map((b) => b.toBatch()));
    buffers = new Map();
    buffered = 0;
    stats.flushes++;
    const conflicted = batch.filter((_, i) => outcomes[i] === 'conflict').map((b) => b.partition);
    stats.duplicates += outcomes.filter((o) => o === 'duplicate').length;
    stats.conflicts += conflicted.length;
    if (conflicted.length > 0) {
      logger.warn({ partitions: conflicted }, 'stored position moved under us; resuming from the store');
      await resume(conflicted);
    }
  };

  const readOnce = async () => {
    const waitMs = Math.max(10, Math.min(flushMs, 200));
    const results = await Promise.all(owned.map((p) => log.read(p, next.get(p) ?? 0, { max: READ_MAX, waitMs })));
    const at = now();
    owned.forEach((p, i) => {
      for (const record of results[i] ?? []) {
        let buffer = buffers.get(p);
        if (!buffer) buffers.set(p, (buffer = new PartitionBuffer(p, next.get(p) ?? record.offset, metrics, store.retention.minuteMs)));
        buffer.add(record.offset, record.value, at);
        next.set(p, record.offset + 1);
        buffered++;
        stats.events++;
      }
    });
  };

  const loop = async () => {
    let failures = 0;
    while (running) {
      try {
        if (next.size < owned.length) await resume(owned);
        // A failed flush keeps its buffers (and stops reading) until the store is back.
        if (buffered < maxBuffered) await readOnce();
        if (buffered >= maxBuffered || performance.now() - lastFlush >= flushMs) await flush();
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

  logger.info({ partitions: owned, flushMs }, 'speed layer started');
  const done = loop();
  return {
    async stop() {
      running = false;
      await done;
    },
    stats: () => ({ ...stats }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
