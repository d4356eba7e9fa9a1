import { stat } from 'node:fs/promises';
import type { AnalyticsConfig } from '../config.ts';
import { logConfigFromEnv, openEventLog, type EventLog } from '../log/index.ts';
import { createRedisAggregateStore } from '../speed/index.ts';
import type { AggregateStore } from '../contracts/index.ts';

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
