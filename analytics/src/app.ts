import { createMetricsRegistry, createServer, type HttpServer, type Logger, type Stoppable } from '@shop/platform';
import {
  createCollectorMetrics,
  createEnricher,
  createIngest,
  openCollectorStores,
  openDailySaltStore,
  openGeoLookup,
  packagedCityDatabases,
  registerCollectorRoutes,
  type CollectorStores,
} from './collector/index.ts';
import { registerTrackerRoutes } from './tracker/index.ts';
import { startArchiver } from './archive/index.ts';
import { createBatchViewStore, openDuckDb, startBatchSchedule, type BatchViewStore } from './batch/index.ts';
import type { AnalyticsConfig } from './config.ts';
import { type ConsumerThread, startConsumerThread } from './consumer-threads.ts';
import { ensureDemoTenant, seedDemoGoals, seedDemoHistory } from './demo/index.ts';
import { openObjectStore, type ObjectStore } from './storage/index.ts';
import { type AggregateStore, METRICS } from './contracts/index.ts';
import { type DriftStore, batchViewsFromCoverage, createMemoryDriftStore, createReconciliationMetrics, createRedisDriftStore, createServingLayer, startReconciliationLoop } from './serving/index.ts';
import { type ReadKeyResolver, registerProductRoutes, registerQueryRoutes, registerReconciliationRoutes } from './query/index.ts';
import { openGoalStore, watchGoals } from './goals/index.ts';
import { logConfigFromEnv, openEventLog, type EventLog } from './log/index.ts';
import { registerDashboardRoutes } from './dashboard/index.ts';
import { createMemoryAggregateStore, createRedisAggregateStore, rebuildTenantSpeed, startSpeedLayer } from './speed/index.ts';
import { watchErasures } from './privacy/index.ts';
import { registerErasureRoutes, startErasureRunner } from './erasure/index.ts';
import { createUsageReader, registerConsoleRoutes, registerUsageRoutes } from './admin/index.ts';
import { clientAccount, createTenantsApi, openTenantStore, registerShareRoutes, registerTenantAdminRoutes, type TenantStore, type TenantsApi, watchVisitTimeouts } from './tenants/index.ts';

export interface AnalyticsApp {
  server: HttpServer;
  tenants: TenantsApi;
  log: EventLog;
  /** The raw store (immutable events) and batch views. */
  objectStore: ObjectStore;
  batchViews: BatchViewStore;
  /** In shutdown order: HTTP first (in-flight appends finish), then consumers, then engines. */
  stoppables: Stoppable[];
  close(): Promise<void>;
}

export interface AnalyticsOverrides {
  /** Tests pass their own engines (a temp dir, a key prefix, a log that fails on demand). */
  log?: EventLog;
  tenantStore?: TenantStore;
  collectorStores?: CollectorStores;
  aggregates?: AggregateStore;
  objectStore?: ObjectStore;
  driftStore?: DriftStore;
  now?: () => Date;
}

/** The query API's view of tenants: a live read or share key decides the tenant, nothing else can. */
function readKeyResolver(tenants: TenantsApi): ReadKeyResolver {
  return {
    async resolveReadKey(plainKey) {
      const found = await tenants.authenticateReader(plainKey);
      if (!found.ok) return found.error.code === 'TENANT.KEY_UNKNOWN' ? null : { refused: found.error.message };
      const { tenant, key } = found.value;
      const shared = key.kind === 'share' ? { shared: { scope: key.scope ?? 'dashboard', expiresAt: key.expiresAt ?? '', hint: key.hint } } : {};
      return { id: tenant.id, timeZone: tenant.timeZone, ...shared };
    },
  };
}

/**
 * The analytics composition root: tenants, the collector and the admin API, wired by
 * hand. The collector answers only after `log.append` resolved; everything downstream
 * (speed layer, archiver, query API) reads the log.
 */
export async function createAnalyticsApp(config: AnalyticsConfig, logger: Logger, overrides: AnalyticsOverrides = {}): Promise<AnalyticsApp> {
  const tenantStore = overrides.tenantStore ?? (await openTenantStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX }));
  const tenants = createTenantsApi({
    store: tenantStore,
    defaults: { dailyQuota: config.ANALYTICS_DEFAULT_DAILY_QUOTA, rateLimitPerSecond: config.ANALYTICS_DEFAULT_RATE_LIMIT },
    keyCacheTtlMs: config.ANALYTICS_KEY_CACHE_TTL_MS,
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  // `npm start`: the shop's tenant, with the keys the commerce process was given.
  if (config.ANALYTICS_DEMO_TENANT && config.ANALYTICS_DEMO_WRITE_KEY && config.ANALYTICS_DEMO_READ_KEY) {
    const demo = await ensureDemoTenant(
      { tenants, store: tenantStore },
      {
        id: config.ANALYTICS_DEMO_TENANT,
        name: 'Demo shop (the commerce app)',
        timeZone: config.ANALYTICS_DEMO_TIME_ZONE,
        writeKey: config.ANALYTICS_DEMO_WRITE_KEY,
        readKey: config.ANALYTICS_DEMO_READ_KEY,
      },
    );
    logger.info({ tenantId: config.ANALYTICS_DEMO_TENANT, ...demo }, 'demo tenant ready');
  }
  const collectorStores =
    overrides.collectorStores ?? (await openCollectorStores({ redisUrl: config.REDIS_URL, prefix: config.ANALYTICS_REDIS_PREFIX, maxDedupEntries: config.ANALYTICS_DEDUP_MAX_ENTRIES }));
  const log = overrides.log ?? (await openEventLog(logConfigFromEnv(config, 'writer')));
  // The speed layer's views (Redis with REDIS_URL, so stand-alone speed processes and every
  // API instance share them; else in-process).
  const aggregates =
    overrides.aggregates ?? (config.REDIS_URL ? createRedisAggregateStore(config.REDIS_URL, { prefix: config.ANALYTICS_REDIS_PREFIX }) : createMemoryAggregateStore());
  const objectStore = overrides.objectStore ?? (await openObjectStore(config));
  if (config.ANALYTICS_DEMO_TENANT && config.ANALYTICS_DEMO_HISTORY_DAYS > 0) {
    // Before any consumer starts: today's part is taken as live traffic, the past days by the first batch run.
    const history = await seedDemoHistory({
      store: objectStore,
      log,
      tenantId: config.ANALYTICS_DEMO_TENANT,
      days: config.ANALYTICS_DEMO_HISTORY_DAYS,
      now: (overrides.now?.() ?? new Date()).getTime(),
    });
    if (history.seeded) logger.info({ tenantId: config.ANALYTICS_DEMO_TENANT, ...history }, 'demo history seeded');
  }
  const batchViews = createBatchViewStore({ lake: objectStore });
  const metrics = createMetricsRegistry('analytics');
  let shuttingDown = false;

  const collectorMetrics = createCollectorMetrics(metrics);
  const enrich = createEnricher({ geo: openGeoLookup(config.ANALYTICS_GEO_CITY_DB === 'dbip' ? { city: packagedCityDatabases() } : {}) });
  const salts = config.ANALYTICS_COOKIELESS ? openDailySaltStore({ redisUrl: config.REDIS_URL, prefix: config.ANALYTICS_REDIS_PREFIX, ...(overrides.now ? { now: overrides.now } : {}) }) : undefined;
  const ingest = createIngest({
    enrich,
    ...(salts ? { salts } : {}),
    log,
    dedup: collectorStores.dedup,
    rateLimiter: collectorStores.rateLimiter,
    quota: collectorStores.quota,
    metrics: collectorMetrics,
    limits: {
      maxEventBytes: config.ANALYTICS_MAX_EVENT_BYTES,
      maxEventAgeDays: config.ANALYTICS_MAX_EVENT_AGE_DAYS,
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
    description: 'Segment-compatible collector, tenant administration and real-time queries of the lambda-architecture analytics platform.',
    // Room for the collector's largest batch; the collector routes set their own limit.
    bodyLimit: config.ANALYTICS_MAX_BATCH_BYTES,
    metrics,
    metricsAccess: { token: config.ANALYTICS_METRICS_TOKEN, variable: 'ANALYTICS_METRICS_TOKEN' },
    readiness: [
      { name: 'tenants', check: () => tenantStore.ping() },
      { name: 'dedup', check: () => collectorStores.dedup.ping() },
      { name: 'log', check: async () => void (await log.bounds(0)) },
      { name: 'views', check: () => aggregates.ping() },
      { name: 'object store', check: async () => void (await objectStore.head('archive/positions/p0.json')) },
    ],
    securitySchemes: {
      writeKey: { type: 'http', scheme: 'basic', description: 'the write key as user name, empty password' },
      adminToken: { type: 'http', scheme: 'bearer', description: 'ANALYTICS_ADMIN_TOKEN' },
      readKey: { type: 'http', scheme: 'bearer', description: 'a read key (rk_...)' },
      shareKey: { type: 'http', scheme: 'bearer', description: 'a share key (sk_...): the dashboard reads only, until it expires' },
    },
    isShuttingDown: () => shuttingDown,
    guards: {
      rateLimit: {
        max: config.ANALYTICS_RATE_LIMIT_MAX,
        windowSeconds: config.ANALYTICS_RATE_LIMIT_WINDOW_SECONDS,
        redisUrl: config.REDIS_URL,
        prefix: config.ANALYTICS_REDIS_PREFIX,
        accountOf: clientAccount(tenants, config.ANALYTICS_ADMIN_TOKEN),
        // The collector limits per tenant (events/s, daily quota); a per-IP budget would throttle server-side senders.
        appliesTo: (route) => !route.tags.includes('collector'),
      },
      maxEventLoopDelayMs: config.ANALYTICS_SHED_EVENT_LOOP_DELAY_MS,
      hsts: config.ANALYTICS_HSTS,
    },
  });
  await registerCollectorRoutes(server, {
    tenants,
    ingest,
    metrics: collectorMetrics,
    maxBatchBytes: config.ANALYTICS_MAX_BATCH_BYTES,
    corsOrigins: config.ANALYTICS_CORS_ORIGINS,
    trustedProxyHops: config.ANALYTICS_TRUSTED_PROXY_HOPS,
  });
  await registerTrackerRoutes(server);
  await registerTenantAdminRoutes(server, { tenants, adminToken: config.ANALYTICS_ADMIN_TOKEN });
  await registerShareRoutes(server, { tenants });
  const usage = createUsageReader({ quota: collectorStores.quota, metrics: collectorMetrics, startedAt: new Date(), ...(overrides.now ? { now: overrides.now } : {}) });
  await registerUsageRoutes(server, { tenants, usage, adminToken: config.ANALYTICS_ADMIN_TOKEN });
  await registerConsoleRoutes(server, {
    adminToken: config.ANALYTICS_ADMIN_TOKEN,
    // HSTS is what says the API is served over HTTPS.
    secureCookie: config.ANALYTICS_HSTS,
    defaults: {
      dailyQuota: config.ANALYTICS_DEFAULT_DAILY_QUOTA,
      rateLimitPerSecond: config.ANALYTICS_DEFAULT_RATE_LIMIT,
      maxEventAgeDays: config.ANALYTICS_MAX_EVENT_AGE_DAYS,
      keyCacheTtlMs: config.ANALYTICS_KEY_CACHE_TTL_MS,
    },
    ...(overrides.now ? { now: () => overrides.now!().getTime() } : {}),
  });
  // GDPR erasure: every consumer of the log leaves erased people out from the moment a request is
  // recorded (the watcher), and the runner removes what was already taken in. The runner is a
  // singleton lake writer like the batch schedule, so it runs where the schedule runs.
  // The consumer threads, told when goals or erasures change here (they poll as well).
  let consumerThreads: ConsumerThread[] = [];
  let speedThreadsOfGoals: ConsumerThread[] = [];
  const erasures = await watchErasures({
    store: objectStore,
    onError: (error) => logger.warn({ err: error }, 'reading the erasure list failed; the previous list stays in force'),
  });
  await registerErasureRoutes(server, {
    store: objectStore,
    adminToken: config.ANALYTICS_ADMIN_TOKEN,
    tenantExists: async (tenantId) => (await tenants.getTenant(tenantId)).ok,
    // Every consumer in this process sees the request at once; a runner elsewhere polls. (The runner
    // is started with the other consumers, below; no request is served before then.)
    nudge: () => {
      for (const thread of consumerThreads) thread.tell({ type: 'erasures-changed' });
      void erasures.sync().then(() => erasureRunner?.nudge(), () => erasureRunner?.nudge());
    },
  });

  // ── Speed layer and query API (owned by analytics/src/speed and analytics/src/query) ──
  // Both read what the collector appended: the speed layer from `log`, the query API from its
  // views. With REDIS_URL the views live in Redis, so stand-alone speed processes
  // (ANALYTICS_SPEED_IN_PROCESS=false, processes/speed.ts) and every API instance share them.
  // The serving layer splits each range at the tenant's batch watermark B (Pinot hybrid tables):
  // batch views up to B, the speed layer after it; reconciliation compares the two where both hold data.
  const batchSide = batchViewsFromCoverage(batchViews);
  const serving = createServingLayer({ speed: aggregates, batch: batchSide });
  const drift =
    overrides.driftStore ??
    (config.REDIS_URL ? createRedisDriftStore(config.REDIS_URL, { prefix: config.ANALYTICS_REDIS_PREFIX }) : createMemoryDriftStore());
  const readKeys = readKeyResolver(tenants);
  const goals = openGoalStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
  if (config.ANALYTICS_DEMO_TENANT && config.ANALYTICS_DEMO_HISTORY_DAYS > 0) {
    const demoGoals = await seedDemoGoals({ goals, store: objectStore, tenantId: config.ANALYTICS_DEMO_TENANT, now: (overrides.now?.() ?? new Date()).getTime() });
    if (demoGoals.seeded) logger.info({ tenantId: config.ANALYTICS_DEMO_TENANT, ...demoGoals }, 'demo goals created');
  }
  const duckdb = await openDuckDb({ threads: 1 });
  const visitTimeouts = await watchVisitTimeouts(tenantStore, { onError: (error) => logger.warn({ err: error }, 'reading visit timeouts failed') });
  await registerQueryRoutes(server, { store: aggregates, serving, tenants: readKeys, raw: {
      lake: objectStore,
      duckdb,
      visitTimeout: visitTimeouts.timeoutMs,
      goals: (tenantId) => goals.list(tenantId),
      ...(config.ANALYTICS_RAW_WARM_DAYS > 0
        ? {
            warmUp: {
              days: config.ANALYTICS_RAW_WARM_DAYS,
              tenantIds: async () => (await tenants.listTenants()).map((t) => t.id),
              onError: (error: unknown) => logger.warn({ err: error }, 'loading the recent raw days failed; questions load them'),
            },
          }
        : {}),
    },
  });
  server.addHook('onClose', async () => {
    await goals.close();
    duckdb.close();
  });
  // The speed layer counts goals from this cache: refreshed at once when this process (or, on Redis,
  // any process) changes a tenant's goals, and every 30 s.
  const goalCache = await watchGoals(goals, async () => (await tenants.listTenants()).map((t) => t.id), {
    onError: (error) => logger.warn({ err: error }, 'reading goals failed; the previous goals stay in force'),
  });
  await registerProductRoutes(server, { tenants: readKeys, goals, lake: objectStore, duckdb, onGoalsChanged: async (tenantId) => {
      await goalCache.refresh(tenantId);
      // Answered once every speed thread has the change too: an event sent after the answer meets the goal on any thread.
      await Promise.all(speedThreadsOfGoals.map((thread) => thread.goalsChanged(tenantId)));
    },
  });
  await registerDashboardRoutes(server);
  await registerReconciliationRoutes(server, { drift, tenants: readKeys });
  await server.ready();
  const reconciliation = startReconciliationLoop({
    speed: aggregates,
    batch: batchSide,
    drift,
    metrics: METRICS,
    tenantIds: async () => (await tenants.listTenants()).map((t) => t.id),
    observer: createReconciliationMetrics(metrics),
    onError: (error, tenantId) => logger.warn({ err: error, tenantId }, 'reconciliation failed'),
  });
  // Started last, so a failed start above leaves no consumer running. A consumer thread opens the
  // log, the lake and the tenant and goal stores itself, from this configuration: engines a test
  // passes in are not reachable from another thread, so the consumers then run on this one.
  const threadsAllowed = !overrides.log && !overrides.objectStore && !overrides.tenantStore;
  const speedThreads = threadsAllowed ? config.ANALYTICS_SPEED_THREADS : 0;
  const archiveThread = threadsAllowed && config.ANALYTICS_ARCHIVE_THREAD;
  // Threads load their modules in parallel; each resolves once it consumes.
  const startingSpeed = config.ANALYTICS_SPEED_IN_PROCESS
    ? Array.from({ length: speedThreads }, (_, index) =>
        startConsumerThread({ role: 'speed', name: `speed-${index}`, config, members: { index, count: speedThreads }, store: aggregates, logger: logger.child({ module: 'speed', thread: index }) }),
      )
    : [];
  const startingArchiver =
    config.ANALYTICS_ARCHIVE_IN_PROCESS && archiveThread
      ? startConsumerThread({ role: 'archiver', name: 'archiver', config, members: { index: 0, count: 1 }, logger: logger.child({ module: 'archiver' }) })
      : undefined;
  const started = await Promise.allSettled([...startingSpeed, ...(startingArchiver ? [startingArchiver] : [])]);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw failed.reason;
  }
  const threads = started.map((s) => (s as PromiseFulfilledResult<ConsumerThread>).value);
  const speedThreadList = threads.slice(0, startingSpeed.length);
  const archiverThread = startingArchiver ? threads.at(-1) : undefined;
  const speed = !config.ANALYTICS_SPEED_IN_PROCESS
    ? undefined
    : speedThreads > 0
      ? speedThreadList
      : startSpeedLayer({
          log,
          store: aggregates,
          logger: logger.child({ module: 'speed' }),
          exclude: erasures.isErased,
          syncExclude: erasures.sync,
          visitTimeout: visitTimeouts.timeoutMs,
          goals: goalCache.goalsOf,
        });
  const archiver = !config.ANALYTICS_ARCHIVE_IN_PROCESS
    ? undefined
    : (archiverThread ??
      startArchiver({
        log,
        store: objectStore,
        logger: logger.child({ module: 'archiver' }),
        exclude: erasures.isErased,
        syncExclude: erasures.sync,
        flushRecords: config.ARCHIVE_FLUSH_RECORDS,
        flushMs: config.ARCHIVE_FLUSH_MS,
      }));
  consumerThreads = [...speedThreadList, ...(archiverThread ? [archiverThread] : [])];
  speedThreadsOfGoals = speedThreadList;
  const batch = config.ANALYTICS_BATCH_IN_PROCESS
    ? startBatchSchedule({
        lake: objectStore,
        everyMs: config.ANALYTICS_BATCH_EVERY_MS,
        graceMs: config.ANALYTICS_BATCH_GRACE_MS,
        visitTimeout: visitTimeouts.timeoutMs,
        goals: (tenantId) => goals.list(tenantId),
        onError: (error) => logger.error({ err: error }, 'batch run failed'),
        onRun: (run) => {
          if (run.periods.length) logger.info({ periods: run.periods.length, rawEvents: run.rawEvents }, 'batch run');
          if (run.rechecked.length) logger.info({ rechecked: run.rechecked }, 'batch: days recomputed for late events');
          if (run.regoaled.length) logger.info({ days: run.regoaled.length }, 'batch: days recomputed for changed goals');
        },
      })
    : undefined;
  const erasureRunner = config.ANALYTICS_BATCH_IN_PROCESS
    ? startErasureRunner({
        store: objectStore,
        logger: logger.child({ module: 'erasure' }),
        graceMs: config.ANALYTICS_BATCH_GRACE_MS,
        ...(overrides.now ? { now: overrides.now } : {}),
        rebuildSpeed: (tenantId, matcher) => rebuildTenantSpeed({ log, store: aggregates, tenantId, exclude: matcher.isErased, goals: goalCache.goalsOf }),
        onCompleted: () => void erasures.sync().catch(() => undefined),
      })
    : undefined;
  const layerStoppables: Stoppable[] = [
    ...(Array.isArray(speed) ? speed.map((thread, index) => ({ name: `speed thread ${index}`, stop: () => thread.stop() })) : speed ? [{ name: 'speed layer', stop: () => speed.stop() }] : []),
    ...(archiver ? [{ name: 'archiver', stop: () => archiver.stop() }] : []),
    ...(batch ? [{ name: 'batch schedule', stop: () => batch.stop() }] : []),
    { name: 'reconciliation', stop: () => reconciliation.stop() },
    { name: 'visit timeouts', stop: async () => visitTimeouts.stop() },
    { name: 'goal cache', stop: async () => goalCache.stop() },
    // After the layers (a long erasure step must not cost them their clean stop), before the stores it uses.
    // It stops between raw objects and between steps; the request resumes from there after a restart.
    ...(erasureRunner ? [{ name: 'erasure runner', stop: () => erasureRunner.stop() }] : []),
    { name: 'erasure watcher', stop: () => erasures.stop() },
    ...(overrides.driftStore ? [] : [{ name: 'drift store', stop: () => drift.close() }]),
    { name: 'batch views', stop: () => batchViews.close() },
    ...(overrides.aggregates ? [] : [{ name: 'aggregate store', stop: () => aggregates.close() }]),
  ];

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
    ...(overrides.objectStore ? [] : [{ name: 'object store', stop: () => objectStore.close() }]),
    ...(overrides.collectorStores ? [] : [{ name: 'collector stores', stop: () => collectorStores.close() }]),
    ...(salts ? [{ name: 'visitor salts', stop: () => salts.close() }] : []),
    ...(overrides.tenantStore ? [] : [{ name: 'tenant store', stop: () => tenantStore.close() }]),
  ];
  return {
    server,
    tenants,
    log,
    objectStore,
    batchViews,
    stoppables,
    async close() {
      for (const s of stoppables) await s.stop();
    },
  };
}
