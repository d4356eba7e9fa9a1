import { createLogger } from '@shop/platform';
import { discoverTenants, replayBatch, type BatchProgress } from '../batch/index.ts';
import type { AnalyticsConfig } from '../config.ts';
import { loadErasures } from '../privacy/index.ts';
import { rebuildTenantSpeed, replaySpeedLayer } from '../speed/index.ts';
import { lakeLocation, openObjectStore } from '../storage/index.ts';
import { noRawEvents } from './cli-support.ts';
import { openAppGoalStore, openReaderLog, openSpeedViews, readGoals } from './open-engines.ts';

/** Where the replay CLI writes: results, warnings and failures, batch progress. */
export interface ReplayOutput {
  log(line: string): void;
  error(line: string): void;
  progress: { update(progress: BatchProgress): void; done(): void };
}

interface StepContext {
  now: () => number;
  out: ReplayOutput;
}

const count = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, noun: string): string => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * The speed views from the log: every tenant (clears the store first; no live speed layer may
 * run) or the given tenants one by one (safe live). Erased people are left out, as the live
 * layer leaves them out: the log still holds their events.
 */
export async function replaySpeedStep(config: AnalyticsConfig, tenants: readonly string[], { now, out }: StepContext): Promise<void> {
  const lake = await openObjectStore(config);
  const closers: Array<() => Promise<void>> = [() => lake.close()];
  try {
    const log = await openReaderLog(config);
    closers.push(() => log.close());
    const store = await openSpeedViews(config);
    closers.push(() => store.close());
    const goals = await readGoals(config, tenants);
    closers.push(() => goals.close());
    if (tenants.length === 0) {
      const erasures = await loadErasures(lake);
      const logger = createLogger('analytics-replay', config.LOG_LEVEL);
      const stats = await replaySpeedLayer({ log, store, logger, exclude: erasures.isErased, now, goals: goals.goalsOf });
      out.log(`speed: replayed ${plural(stats.events, 'event')} of ${plural(stats.partitions, 'partition')} (${count(stats.excluded)} left out as erased) in ${seconds(stats.elapsedMs)}`);
      return;
    }
    for (const tenantId of tenants) {
      const erasures = await loadErasures(lake, tenantId);
      const stats = await rebuildTenantSpeed({ log, store, tenantId, exclude: erasures.isErased, now, goals: goals.goalsOf });
      out.log(
        `speed ${tenantId}: rebuilt from ${plural(stats.events, 'event')} of partition ${stats.partition} (offsets ${stats.from}-${stats.to}, ` +
          `${count(stats.excluded)} left out as erased) in ${seconds(stats.elapsedMs)}`,
      );
    }
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/** The batch views of each tenant (all with raw data by default), recomputed from the app's raw store. */
export async function replayBatchStep(config: AnalyticsConfig, tenants: readonly string[], { now, out }: StepContext): Promise<void> {
  const lake = await openObjectStore(config);
  const goals = openAppGoalStore(config);
  try {
    const chosen = tenants.length > 0 ? tenants : await discoverTenants(lake);
    if (chosen.length === 0) out.log(`batch: ${noRawEvents(lakeLocation(config))}`);
    for (const tenantId of chosen) {
      const result = await replayBatch({ lake, tenants: [tenantId], now: now(), graceMs: config.ANALYTICS_BATCH_GRACE_MS, goals: (t) => goals.list(t), onProgress: out.progress.update });
      out.progress.done();
      const watermark = result.watermarks[tenantId];
      out.log(
        `batch ${tenantId}: ${plural(result.periods.length, 'day')} from ${plural(result.rawEvents, 'raw event')}, ${plural(result.deleted, 'derived object')} replaced, ` +
          `watermark ${watermark == null ? 'none' : new Date(watermark).toISOString()}, in ${seconds(result.elapsedMs)}`,
      );
    }
  } finally {
    await goals.close();
    await lake.close();
  }
}
