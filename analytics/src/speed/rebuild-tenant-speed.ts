import { createLogger } from '@shop/platform';
import type { Logger } from 'pino';
import { type AggregateStore, type AnalyticsEvent, type MetricDeclaration, METRICS } from '../contracts/index.ts';
import { partitionFor, type EventLog } from '../log/index.ts';
import { consumePartitions } from './partition-consumer.ts';
import type { TenantGoals } from './tenant-goals.ts';

export interface RebuildTenantSpeedOptions {
  log: EventLog;
  store: AggregateStore;
  tenantId: string;
  /** Records to leave out (the erasure list); the live layer reads the same list (`exclude` + `syncExclude`). */
  exclude?: (event: AnalyticsEvent) => boolean;
  metrics?: readonly MetricDeclaration[];
  /** Each tenant's goals, as the live layer has them (`watchGoals(...).goalsOf`); without them the goal metrics stay empty. */
  goals?: TenantGoals;
  /** Stands in for an unreadable `receivedAt` when judging lateness. */
  now?: () => number;
  logger?: Logger;
}

export interface RebuildTenantSpeedStats {
  tenantId: string;
  partition: number;
  /** The offsets re-read: [from, to), `to` being the stored position at the instant of the purge. */
  from: number;
  to: number;
  /** The tenant's records folded again. */
  events: number;
  /** The tenant's records the exclusion left out. */
  excluded: number;
  elapsedMs: number;
}

/**
 * Rebuilds one tenant's speed buckets, safe while a live speed layer keeps consuming: purges the
 * tenant (atomically with respect to the live writes, returning the stored positions P of that
 * instant), then folds the tenant's records of its partition from the log's first offset up to
 * P with `applyCells`. The live layer owns everything from P on, so nothing is lost or counted
 * twice, and the purge fences every partition: what the live layer had folded but not yet written
 * is refused once and read again, under the exclusion list as it is now.
 *
 * So for a person's erasure: record it where the live layer's `exclude` and `syncExclude` read
 * it, then run this with the same matcher. The result equals a fresh `replaySpeedLayer` with that `exclude`
 * (top-K cells past their 1,000-item capacity aside, where the order of arrival decides which
 * items are kept). A failed run leaves the tenant partly rebuilt; run it again.
 *
 * @example
 * await rebuildTenantSpeed({ log, store, tenantId: 'acme', exclude: (e) => erased.has(e.userId ?? '') });
 */
export async function rebuildTenantSpeed(options: RebuildTenantSpeedOptions): Promise<RebuildTenantSpeedStats> {
  const { log, store, tenantId } = options;
  const started = performance.now();
  const partition = partitionFor(tenantId, log.partitions);
  const positions = await store.purgeTenant(tenantId);
  const { first } = await log.bounds(partition);
  // No stored position: the live layer has not written this partition yet and will read it from its first offset.
  const to = positions.get(partition) ?? first;
  let events = 0;
  let excluded = 0;
  const run = consumePartitions({
    log,
    store,
    logger: options.logger ?? createLogger('analytics-speed-rebuild', 'silent'),
    partitions: [partition],
    metrics: options.metrics ?? METRICS,
    now: options.now ?? Date.now,
    ...(options.goals ? { goals: options.goals } : {}),
    exclude: (event) => {
      if (event.tenantId !== tenantId) return true;
      if (options.exclude?.(event)) {
        excluded++;
        return true;
      }
      events++;
      return false;
    },
    flushMs: 1000,
    maxBufferedEvents: 20_000,
    mode: { kind: 'bounded', until: new Map([[partition, to]]), write: 'cells' },
  });
  await run.done;
  return { tenantId, partition, from: Math.min(first, to), to, events, excluded, elapsedMs: Math.round(performance.now() - started) };
}
