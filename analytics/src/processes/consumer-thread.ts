import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger, type Stoppable } from '@shop/platform';
import type { ConsumerThreadData, FromConsumerThread, ToConsumerThread } from '../consumer-threads.ts';
import { startArchiver } from '../archive/index.ts';
import { openGoalStore, watchGoals } from '../goals/index.ts';
import { logConfigFromEnv, openEventLog } from '../log/index.ts';
import { watchErasures } from '../privacy/index.ts';
import { aggregateStoreOverChannel, startSpeedLayer } from '../speed/index.ts';
import { openObjectStore } from '../storage/index.ts';
import { openTenantStore, watchVisitTimeouts } from '../tenants/index.ts';

/*
 * A log consumer of the embedded app on its own thread: it opens the log as a reader and its own
 * erasure list (and, for the speed layer, goals and visit timeouts) from the same configuration
 * as the app, so the app's thread keeps only the collector and the queries. The speed layer's
 * flushes go to the app's aggregate store over the store channel.
 */
async function run(port: NonNullable<typeof parentPort>, data: ConsumerThreadData) {
  // Best effort: Linux lets a thread rename itself; elsewhere the name is only cosmetic.
  try {
    writeFileSync('/proc/thread-self/comm', data.name.slice(0, 15));
  } catch {
    // not Linux, or /proc not mounted
  }
  const { config, members } = data;
  const logger = createLogger(`analytics-${data.name}`, data.logLevel);
  const log = await openEventLog(logConfigFromEnv(config, 'reader'));
  const lake = await openObjectStore(config);
  const erasures = await watchErasures({ store: lake, onError: (error) => logger.warn({ err: error }, 'reading the erasure list failed; the previous list stays in force') });
  const stoppables: Stoppable[] = [];
  let readGoals: ((tenantId: string) => Promise<void>) | undefined;
  if (data.role === 'speed') {
    const tenants = await openTenantStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
    const visitTimeouts = await watchVisitTimeouts(tenants, { onError: (error) => logger.warn({ err: error }, 'reading visit timeouts failed') });
    const goalStore = openGoalStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
    const goals = await watchGoals(goalStore, () => tenants.listTenantIds(), {
      onError: (error) => logger.warn({ err: error }, 'reading goals failed; the previous goals stay in force'),
    });
    const store = aggregateStoreOverChannel(port, data.retention!);
    const speed = startSpeedLayer({
      log,
      store,
      logger,
      members,
      exclude: erasures.isErased,
      syncExclude: erasures.sync,
      visitTimeout: visitTimeouts.timeoutMs,
      goals: goals.goalsOf,
    });
    readGoals = (tenantId) => goals.refresh(tenantId).catch((error: unknown) => logger.warn({ err: error }, 'reading goals failed'));
    stoppables.push(
      { name: 'speed layer', stop: speed.stop },
      { name: 'goal cache', stop: goals.stop },
      { name: 'goal store', stop: () => goalStore.close() },
      { name: 'visit timeouts', stop: async () => visitTimeouts.stop() },
      { name: 'tenant store', stop: () => tenants.close() },
      { name: 'aggregate store channel', stop: () => store.close() },
    );
  } else {
    const archiver = startArchiver({
      log,
      store: lake,
      logger,
      members,
      exclude: erasures.isErased,
      syncExclude: erasures.sync,
      flushRecords: config.ARCHIVE_FLUSH_RECORDS,
      flushMs: config.ARCHIVE_FLUSH_MS,
    });
    stoppables.push({ name: 'archiver', stop: archiver.stop });
  }
  stoppables.push({ name: 'erasure watcher', stop: erasures.stop }, { name: 'lake', stop: () => lake.close() }, { name: 'event log', stop: () => log.close() });
  port.on('message', (message: ToConsumerThread) => {
    if (message.type === 'erasures-changed') void erasures.sync().catch(() => undefined);
    else if (message.type === 'stop') {
      void (async () => {
        for (const s of stoppables) {
          try {
            await s.stop();
          } catch (error) {
            logger.warn({ err: error, name: s.name }, 'stopping failed');
          }
        }
        port.postMessage({ type: 'stopped' } satisfies FromConsumerThread);
      })();
    } else if (message.type === 'goals-changed') {
      // Answered once read, so the app answers the change's request only when this thread counts it too.
      void (readGoals?.(message.tenantId) ?? Promise.resolve()).then(() => port.postMessage({ type: 'goals-read', id: message.id } satisfies FromConsumerThread));
    }
  });
  port.postMessage({ type: 'started' } satisfies FromConsumerThread);
}

if (parentPort) {
  const port = parentPort;
  run(port, workerData as ConsumerThreadData).catch((error: unknown) => {
    port.postMessage({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromConsumerThread);
  });
}
