import { ConfigError, createLogger, onShutdownSignal } from '@shop/platform';
import { logConfigFromEnv, openEventLog } from '../log/index.ts';
import { watchErasures } from '../privacy/index.ts';
import { openObjectStore } from '../storage/index.ts';
import { loadArchiveConfig } from './archiver-config.ts';
import { startArchiver } from '../archive/index.ts';

/*
 * The archiver as its own process: `tsx analytics/src/processes/archiver.ts`. Run N of them with
 * ARCHIVE_MEMBER_INDEX=0..N-1 and ARCHIVE_MEMBER_COUNT=N to split the partitions.
 * Writes to S3 when S3_BUCKET is set, else to DATA_DIR/analytics/lake.
 */
async function main() {
  const config = loadArchiveConfig();
  const logger = createLogger('analytics-archiver', config.LOG_LEVEL);
  const log = await openEventLog(logConfigFromEnv(config, 'reader'));
  const store = await openObjectStore(config);
  const erasures = await watchErasures({ store, onError: (error) => logger.warn({ err: error }, 'reading the erasure list failed') });
  const archiver = startArchiver({
    log,
    store,
    logger,
    exclude: erasures.isErased,
    syncExclude: erasures.sync,
    members: { index: config.ARCHIVE_MEMBER_INDEX, count: config.ARCHIVE_MEMBER_COUNT },
    flushRecords: config.ARCHIVE_FLUSH_RECORDS,
    flushMs: config.ARCHIVE_FLUSH_MS,
  });
  onShutdownSignal(logger, () => [
    { name: 'archiver', stop: archiver.stop },
    { name: 'erasure watcher', stop: erasures.stop },
    { name: 'event log', stop: () => log.close() },
    { name: 'object store', stop: () => store.close() },
  ]);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
