import { ConfigError, createLogger, onShutdownSignal } from '@shop/platform';
import { openGoalStore, watchGoals } from '../goals/index.ts';
import { logConfigFromEnv, openEventLog } from '../log/index.ts';
import { watchErasures } from '../privacy/index.ts';
import { openObjectStore } from '../storage/index.ts';
import { createRedisAggregateStore, startSpeedLayer } from '../speed/index.ts';
import { openTenantStore } from '../tenants/index.ts';
import { loadSpeedConfig } from './speed-config.ts';

/*
 * The speed layer as its own process: `tsx analytics/src/processes/speed.ts`. Run N of them with
 * SPEED_MEMBER_INDEX=0..N-1 and SPEED_MEMBER_COUNT=N to split the partitions.
 */
async function main() {
  const config = loadSpeedConfig();
  const logger = createLogger('analytics-speed', config.LOG_LEVEL);
  const log = await openEventLog(logConfigFromEnv(config, 'reader'));
  const store = createRedisAggregateStore(config.REDIS_URL, { prefix: config.ANALYTICS_REDIS_PREFIX });
  await store.ping();
  const lake = await openObjectStore(config);
  const erasures = await watchErasures({ store: lake, onError: (error) => logger.warn({ err: error }, 'reading the erasure list failed') });
  // The goals the API defines, from the Redis every API instance keeps them in (as the app does with
  // REDIS_URL): read at start, at once when any process announces a change, and every 30 s.
  const tenants = await openTenantStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
  const goalStore = openGoalStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
  const goals = await watchGoals(goalStore, () => tenants.listTenantIds(), {
    onError: (error) => logger.warn({ err: error }, 'reading goals failed; the previous goals stay in force'),
  });
  const speed = startSpeedLayer({
    log,
    store,
    logger,
    exclude: erasures.isErased,
    syncExclude: erasures.sync,
    members: { index: config.SPEED_MEMBER_INDEX, count: config.SPEED_MEMBER_COUNT },
    flushMs: config.SPEED_FLUSH_MS,
    goals: goals.goalsOf,
  });
  onShutdownSignal(logger, () => [
    { name: 'speed layer', stop: speed.stop },
    { name: 'goal cache', stop: goals.stop },
    { name: 'goal store', stop: () => goalStore.close() },
    { name: 'tenant store', stop: () => tenants.close() },
    { name: 'erasure watcher', stop: erasures.stop },
    { name: 'lake', stop: () => lake.close() },
    { name: 'event log', stop: () => log.close() },
    { name: 'aggregate store', stop: () => store.close() },
  ]);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
