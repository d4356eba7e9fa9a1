import type { Logger } from 'pino';
import { type AggregateStore, type AnalyticsEvent, type MetricDeclaration, METRICS } from '../contracts/index.ts';
import type { EventLog } from '../log/index.ts';
import { consumePartitions } from './partition-consumer.ts';
import type { TenantGoals } from './tenant-goals.ts';

export interface ReplaySpeedOptions {
  log: EventLog;
  store: AggregateStore;
  logger: Logger;
  /** Records to leave out (the erasure list), as in `startSpeedLayer`. */
  exclude?: (event: AnalyticsEvent) => boolean;
  metrics?: readonly MetricDeclaration[];
  /** Each tenant's goals, as the live layer has them (`watchGoals(...).goalsOf`); without them the goal metrics stay empty. */
  goals?: TenantGoals;
  /** Stands in for an unreadable `receivedAt` when judging lateness. */
  now?: () => number;
  /** Events folded per store write. Default 20,000: a replay favours fewer, larger writes. */
  maxBufferedEvents?: number;
}

export interface ReplaySpeedStats {
  /** Records read, excluded ones included. */
  events: number;
  excluded: number;
  partitions: number;
  /** Where each partition stopped: the log's end when the replay began, now the stored positions. */
  positions: Map<number, number>;
  elapsedMs: number;
}

/**
 * Rebuilds the speed layer from the log: clears the store, then folds every partition from its
 * first retained offset up to the end it had when the replay began, with the live speed layer's
 * own loop and atomic writes, and stops. The stored positions end at those offsets, so a live
 * speed layer started afterwards carries on from there.
 *
 * Run it while no speed layer is consuming into the store: `clear` would pull the data from under
 * a live consumer. Lateness is judged at each record's `receivedAt`, so every bucket still within
 * retention comes back exactly as the live run wrote it; buckets past retention stay gone, and so
 * do records the log's own retention has dropped.
 *
 * @example
 * const stats = await replaySpeedLayer({ log, store, logger, exclude: (e) => erased.has(e.userId ?? '') });
 * logger.info(stats, 'speed layer replayed');
 */
export async function replaySpeedLayer(options: ReplaySpeedOptions): Promise<ReplaySpeedStats> {
  const { log, store, logger } = options;
  const started = performance.now();
  const partitions = Array.from({ length: log.partitions }, (_, p) => p);
  const until = new Map(await Promise.all(partitions.map(async (p) => [p, (await log.bounds(p)).next] as const)));
  await store.clear();
  const run = consumePartitions({
    log,
    store,
    logger,
    partitions,
    metrics: options.metrics ?? METRICS,
    now: options.now ?? Date.now,
    ...(options.goals ? { goals: options.goals } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    flushMs: 1000,
    maxBufferedEvents: options.maxBufferedEvents ?? 20_000,
    mode: { kind: 'bounded', until, write: 'positions' },
  });
  await run.done;
  const { events, excluded } = run.stats();
  return { events, excluded, partitions: partitions.length, positions: until, elapsedMs: Math.round(performance.now() - started) };
}
