import type { Logger } from 'pino';
import { type AggregateStore, type AnalyticsEvent, type MetricDeclaration, METRICS } from '../contracts/index.ts';
import { ownedPartitions, type EventLog } from '../log/index.ts';
import { consumePartitions, type ConsumerStats } from './partition-consumer.ts';
import type { VisitTimeout } from './visit-book.ts';
import type { TenantGoals } from './tenant-goals.ts';

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
  /**
   * Lateness is judged at each record's `receivedAt`; this clock stands in only where that is
   * unreadable (flush cadence uses a monotonic timer).
   */
  now?: () => number;
  /**
   * Records for which this returns true are skipped entirely (no cell, no tenant tally) while
   * their offsets still advance: fed by the erasure list. Called once per record, so keep it O(1).
   */
  exclude?: (event: AnalyticsEvent) => boolean;
  /**
   * Brings what `exclude` consults up to date (`watchErasures().sync`). Called after a refused
   * flush, before its records are read again: a tenant purge refuses the next flush, so records
   * are judged again under every erasure recorded before the purge.
   */
  syncExclude?: () => Promise<unknown>;
  /** Each tenant's visit timeout in ms (the tenant's `visitTimeoutMinutes`); default 30 minutes. */
  visitTimeout?: VisitTimeout;
  /** Each tenant's goals, answered from memory (`watchGoals(...).goalsOf`); none by default. */
  goals?: TenantGoals;
}

export type SpeedLayerStats = ConsumerStats;

export interface SpeedLayer {
  /** Flushes what is buffered (best effort) and stops reading. */
  stop(): Promise<void>;
  stats(): SpeedLayerStats;
}

/**
 * The stream processor: reads its partitions from the positions stored with the aggregates,
 * folds events into per-partition buffers and writes each flush with one atomic `applyBatch`,
 * so Redis sees one script call per flush, not one command per event. On `conflict` (another
 * member wrote the partition, or a tenant was purged since) it drops its buffers and resumes from
 * the stored position. The loop is `consumePartitions`, shared with replays and rebuilds.
 *
 * @example
 * const speed = startSpeedLayer({ log, store, logger, members: { index: 0, count: 2 } });
 * onShutdownSignal(logger, () => [{ name: 'speed layer', stop: speed.stop }]);
 */
export function startSpeedLayer(options: SpeedLayerOptions): SpeedLayer {
  const { log, store, logger } = options;
  const flushMs = options.flushMs ?? 250;
  const members = options.members ?? { index: 0, count: 1 };
  const owned = ownedPartitions(members.index, members.count, log.partitions);
  logger.info({ partitions: owned, flushMs }, 'speed layer started');
  const consumer = consumePartitions({
    log,
    store,
    logger,
    partitions: owned,
    metrics: options.metrics ?? METRICS,
    now: options.now ?? Date.now,
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.syncExclude ? { syncExclude: options.syncExclude } : {}),
    ...(options.visitTimeout ? { visitTimeout: options.visitTimeout } : {}),
    ...(options.goals ? { goals: options.goals } : {}),
    flushMs,
    maxBufferedEvents: options.maxBufferedEvents ?? 5000,
    mode: { kind: 'live' },
  });
  return { stop: consumer.stop, stats: consumer.stats };
}
