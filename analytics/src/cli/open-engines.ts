import { stat } from 'node:fs/promises';
import type { AnalyticsConfig } from '../config.ts';
import { openGoalStore, watchGoals, type GoalCache, type GoalStore } from '../goals/index.ts';
import { logConfigFromEnv, openEventLog, type EventLog } from '../log/index.ts';
import { createRedisAggregateStore } from '../speed/index.ts';
import type { AggregateStore } from '../contracts/index.ts';
import { openTenantStore } from '../tenants/index.ts';

/** Refuses a file log directory that does not exist: a wrong DATA_DIR would replay nothing over real views. */
export async function openReaderLog(config: AnalyticsConfig): Promise<EventLog> {
  // The app's log, opened to read only: a running app's writer lock does not stand in the way.
  const logConfig = logConfigFromEnv(config, 'reader');
  if (logConfig.kind === 'file' && !(await isDirectory(logConfig.dir))) {
    throw new Error(`no event log at ${logConfig.dir}: is DATA_DIR the analytics app's?`);
  }
  return openEventLog(logConfig);
}

const isDirectory = (path: string): Promise<boolean> =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * The speed views in Redis, as the app and processes/speed.ts open them. Without REDIS_URL they live
 * only in the running app's memory, where no other process can rebuild them.
 */
export async function openSpeedViews(config: AnalyticsConfig): Promise<AggregateStore> {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is not set: the speed views are in the analytics app\'s memory');
  const store = createRedisAggregateStore(config.REDIS_URL, { prefix: config.ANALYTICS_REDIS_PREFIX });
  try {
    await store.ping();
  } catch (error) {
    await store.close();
    throw new Error(`Redis at REDIS_URL is not reachable: ${(error as Error).message}`);
  }
  return store;
}

/** The goal store the app uses (Redis with REDIS_URL, else the file under DATA_DIR). */
export const openAppGoalStore = (config: AnalyticsConfig): GoalStore =>
  openGoalStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });

/**
 * The goals of `tenants` (every tenant of the app's tenant store when empty), read once from the
 * app's goal store: a replay counts the goal metrics with the goals the live layer has now.
 */
export async function readGoals(config: AnalyticsConfig, tenants: readonly string[]): Promise<GoalCache & { close(): Promise<void> }> {
  const goals = openAppGoalStore(config);
  const tenantStore = tenants.length > 0 ? undefined : await openTenantStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
  try {
    const cache = await watchGoals({ list: (tenantId) => goals.list(tenantId) }, async () => (tenantStore ? tenantStore.listTenantIds() : tenants), { everyMs: 3_600_000 });
    return {
      ...cache,
      close: async () => {
        await cache.stop();
        await goals.close();
      },
    };
  } finally {
    await tenantStore?.close();
  }
}
