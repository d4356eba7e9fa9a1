import { ConfigError, createLogger, onShutdownSignal } from '@shop/platform';
import { openEventLog, type EventLogConfig } from '../log/index.ts';
import { watchErasures } from '../privacy/index.ts';
import { openObjectStore } from '../storage/open-object-store.ts';
import { createRedisAggregateStore } from './redis-aggregate-store.ts';
import { loadSpeedConfig, type SpeedConfig } from './speed-config.ts';
import { startSpeedLayer } from './speed-layer.ts';

/*
 * The speed layer as its own process: `tsx analytics/src/speed/main.ts`. Run N of them with
 * SPEED_MEMBER_INDEX=0..N-1 and SPEED_MEMBER_COUNT=N to split the partitions.
 */
function logConfig(config: SpeedConfig): EventLogConfig {
  const partitions = config.ANALYTICS_LOG_PARTITIONS;
  // A reader of the file log applies none, but opening NATS streams sets their max_age.
  const retentionHours = config.ANALYTICS_LOG_RETENTION_HOURS;
  if (config.NATS_URL) return { kind: 'nats', url: config.NATS_URL, streamPrefix: config.ANALYTICS_NATS_STREAM_PREFIX, partitions, retentionHours };
  if (config.KAFKA_BROKERS) return { kind: 'kafka', brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()), partitions, retentionHours };
  // The collector process owns the file log; this process only reads it.
  return { kind: 'file', dir: `${config.DATA_DIR}/analytics/events`, mode: 'reader', partitions, retentionHours };
}

async function main() {
  const config = loadSpeedConfig();
  const logger = createLogger('analytics-speed', config.LOG_LEVEL);
  const log = await openEventLog(logConfig(config));
  const store = createRedisAggregateStore(config.REDIS_URL, { prefix: config.ANALYTICS_REDIS_PREFIX });
  await store.ping();
  const lake = await openObjectStore(config);
  const erasures = await watchErasures({ store: lake, onError: (error) => logger.warn({ err: error }, 'reading the erasure list failed') });
  const speed = startSpeedLayer({
    log,
    store,
    logger,
    exclude: erasures.isErased,
    syncExclude: erasures.sync,
    members: { index: config.SPEED_MEMBER_INDEX, count: config.SPEED_MEMBER_COUNT },
    flushMs: config.SPEED_FLUSH_MS,
  });
  onShutdownSignal(logger, () => [
    { name: 'speed layer', stop: speed.stop },
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
