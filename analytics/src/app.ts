import { createMetricsRegistry, createServer, type HttpServer, type Logger, type Stoppable } from '@shop/platform';
import { createCollectorMetrics, createIngest, openCollectorStores, registerCollectorRoutes, type CollectorStores } from './collector/index.ts';
import type { AnalyticsConfig } from './config.ts';
import type { EventLog } from './log/event-log.ts';
import { createFileLog } from './log/file-log.adapter.ts';
import { createNatsLog } from './log/nats-log.adapter.ts';
import { createTenantsApi, openTenantStore, registerTenantAdminRoutes, type TenantStore, type TenantsApi } from './tenants/index.ts';

export interface AnalyticsApp {
  server: HttpServer;
  tenants: TenantsApi;
  log: EventLog;
  /** In shutdown order: HTTP first (in-flight appends finish), then consumers, then engines. */
  stoppables: Stoppable[];
  close(): Promise<void>;
}

export interface AnalyticsOverrides {
  /** Tests pass their own engines (a temp dir, a key prefix, a log that fails on demand). */
  log?: EventLog;
  tenantStore?: TenantStore;
  collectorStores?: CollectorStores;
  now?: () => Date;
}

// Until the log module's `openEventLog(...)` lands, the choice of adapter is made here:
// NATS_URL set: JetStream; else the embedded file log. (Kafka: see the log module.)
async function openLog(config: AnalyticsConfig): Promise<EventLog> {
  if (config.NATS_URL) return createNatsLog({ servers: config.NATS_URL, streamPrefix: 'analytics', partitions: config.ANALYTICS_LOG_PARTITIONS });
  return createFileLog({ dir: `${config.DATA_DIR}/analytics/events`, partitions: config.ANALYTICS_LOG_PARTITIONS });
}

/**
 * The analytics composition root: tenants, the collector and the admin API, wired by
 * hand. The collector answers only after `log.append` resolved; everything downstream
 * (speed layer, archiver, query API) reads the log.
 */
export async function createAnalyticsApp(config: AnalyticsConfig, logger: Logger, overrides: AnalyticsOverrides = {}): Promise<AnalyticsApp> {
  const tenantStore = overrides.tenantStore ?? (await openTenantStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR }));
  const tenants = createTenantsApi({
    store: tenantStore,
    defaults: { dailyQuota: config.ANALYTICS_DEFAULT_DAILY_QUOTA, rateLimitPerSecond: config.ANALYTICS_DEFAULT_RATE_LIMIT },
    keyCacheTtlMs: config.ANALYTICS_KEY_CACHE_TTL_MS,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  const collectorStores =
    overrides.collectorStores ?? (await openCollectorStores({ redisUrl: config.REDIS_URL, maxDedupEntries: config.ANALYTICS_DEDUP_MAX_ENTRIES }));
  const log = overrides.log ?? (await openLog(config));
  const metrics = createMetricsRegistry('analytics');
  let shuttingDown = false;

  const collectorMetrics = createCollectorMetrics(metrics);
  const ingest = createIngest({
    log,
    dedup: collectorStores.dedup,
    rateLimiter: collectorStores.rateLimiter,
    quota: collectorStores.quota,
    metrics: collectorMetrics,
    limits: {
      maxEventBytes: config.ANALYTICS_MAX_EVENT_BYTES,
      dedupWindowMs: config.ANALYTICS_DEDUP_WINDOW_HOURS * 3_600_000,
      // Far longer than any append; a crash mid-append blocks retries of its ids this long at most.
      pendingClaimMs: 60_000,
    },
    logger: logger.child({ module: 'collector' }),
    ...(overrides.now ? { now: overrides.now } : {}),
  });

  const server = await createServer({
    logger,
    title: 'Analytics API',
    description: 'Segment-compatible collector, tenant administration and (later) queries of the lambda-architecture analytics platform.',
    // Room for the collector's largest batch; the collector routes set their own limit.
    bodyLimit: config.ANALYTICS_MAX_BATCH_BYTES,
    metrics,
    readiness: [
      { name: 'tenants', check: () => tenantStore.ping() },
      { name: 'dedup', check: () => collectorStores.dedup.ping() },
      { name: 'log', check: async () => void (await log.bounds(0)) },
    ],
    securitySchemes: {
      writeKey: { type: 'http', scheme: 'basic', description: 'the write key as user name, empty password' },
      adminToken: { type: 'http', scheme: 'bearer', description: 'ANALYTICS_ADMIN_TOKEN' },
      readKey: { type: 'http', scheme: 'bearer', description: 'a read key (rk_...)' },
    },
    isShuttingDown: () => shuttingDown,
  });
  await registerCollectorRoutes(server, {
    tenants,
    ingest,
    metrics: collectorMetrics,
    maxBatchBytes: config.ANALYTICS_MAX_BATCH_BYTES,
    corsOrigins: config.ANALYTICS_CORS_ORIGINS,
  });
  await registerTenantAdminRoutes(server, { tenants, adminToken: config.ANALYTICS_ADMIN_TOKEN });

  // ── Speed layer and query API (owned by analytics/src/speed and analytics/src/query) ──
  // Wire here, with the same `log` and `tenants`:
  //   const aggregates = await openAggregateStore(config.REDIS_URL)            // speed/
  //   const speed = startSpeedLayer({ log, store: aggregates, logger })        // stoppable: speed.stop
  //   await registerQueryRoutes(server, { tenants, aggregates, ... })          // read keys: tenants.authenticate(key, 'read')
  // and add their stoppables after 'http' below.
  const layerStoppables: Stoppable[] = [];

  await server.ready();

  const stoppables: Stoppable[] = [
    {
      name: 'http',
      stop: async () => {
        shuttingDown = true;
        await server.close();
      },
    },
    ...layerStoppables,
    ...(overrides.log ? [] : [{ name: 'event log', stop: () => log.close() }]),
    ...(overrides.collectorStores ? [] : [{ name: 'collector stores', stop: () => collectorStores.close() }]),
    ...(overrides.tenantStore ? [] : [{ name: 'tenant store', stop: () => tenantStore.close() }]),
  ];
  return {
    server,
    tenants,
    log,
    stoppables,
    async close() {
      for (const s of stoppables) await s.stop();
    },
  };
}
