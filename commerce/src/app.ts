import fastifyCookie from '@fastify/cookie';
import { createMetricsRegistry, createServer, type HttpServer, type Logger, type Stoppable } from '@shop/platform';
import { openObjectStoreAt } from '@shop/platform/object-store';
import type { CommerceConfig } from './config.ts';
import { commerceMigrations } from './composition/migrations.ts';
import { createCarrierFromConfig, createMailerFromConfig, createPaymentGatewayFromConfig } from './composition/providers.ts';
import { createAuditModule } from './modules/audit/index.ts';
import { createCartModule } from './modules/cart/index.ts';
import { createCatalogModule } from './modules/catalog/index.ts';
import { createInvoicesModule } from './modules/invoices/index.ts';
import { createNotificationsModule } from './modules/notifications/index.ts';
import { createOrdersModule } from './modules/orders/index.ts';
import { createPricingModule } from './modules/pricing/index.ts';
import { createPromotionsModule } from './modules/promotions/index.ts';
import {
  createPaymentsModule,
  PAYMENTS_CONSUMED_EVENT_TYPES,
  PAYMENTS_PUBLISHED_EVENT_TYPES,
} from './modules/payments/index.ts';
import { createShippingModule } from './modules/shipping/index.ts';
import { createTrackingModule } from './modules/tracking/index.ts';
import { createUsersModule } from './modules/users/index.ts';
import type { CommerceModule } from './shared/module.ts';
import { migrate, openDatabase, type Database } from './shared/database/index.ts';
import {
  createEventBus,
  createEventBusMetrics,
  createNatsInbound,
  createNatsRelay,
  eventAdminRoutes,
  type EventBus,
} from './shared/events/index.ts';
import { openKeyValueStore, type KeyValueStore } from './shared/kv/index.ts';
import { engineHealthRoutes } from './shared/operations/engine-health.routes.ts';

export interface CommerceApp {
  server: HttpServer;
  db: Database;
  kv: KeyValueStore;
  events: EventBus;
  /** In shutdown order: HTTP first (in-flight requests finish), then modules, then connections. */
  stoppables: Stoppable[];
  close(): Promise<void>;
}

export interface CommerceOverrides {
  /** Tests pass their own engines (an isolated database, a key prefix). */
  db?: Database;
  /** Where shoppers' catalog reads go (a standby); defaults to DATABASE_READ_URL, else `db`. */
  readDb?: Database;
  kv?: KeyValueStore;
}

/**
 * The composition root: the one place that knows every module, wires them by hand and
 * mounts their routes. Modules never import each other; they receive each other's public
 * APIs here.
 */
export async function createCommerceApp(
  config: CommerceConfig,
  logger: Logger,
  overrides: CommerceOverrides = {},
): Promise<CommerceApp> {
  const db =
    overrides.db ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: `${config.DATA_DIR}/pglite`,
      poolSize: config.DATABASE_POOL_SIZE,
      failoverWaitMs: config.DATABASE_FAILOVER_WAIT_MS,
      onHostChosen: (host) => logger.info({ host }, 'database host chosen'),
    }));
  // Shoppers' catalog reads may lag on a standby; see DATABASE_READ_URL and docs/SCALING.md.
  const readDb =
    overrides.readDb ??
    (config.DATABASE_URL && config.DATABASE_READ_URL
      ? await openDatabase({
          url: config.DATABASE_READ_URL,
          dataDir: '',
          poolSize: config.DATABASE_POOL_SIZE,
          failoverWaitMs: config.DATABASE_FAILOVER_WAIT_MS,
          onHostChosen: (host) => logger.info({ host }, 'database read host chosen'),
        })
      : undefined);
  const kv = overrides.kv ?? (await openKeyValueStore(config.REDIS_URL, 'commerce:'));
  let shuttingDown = false;
  const metrics = createMetricsRegistry('commerce');
  const events: EventBus = createEventBus({
    db,
    logger: logger.child({ module: 'events' }),
    options: { pollIntervalMs: config.EVENTS_POLL_INTERVAL_MS, concurrency: config.EVENTS_CONCURRENCY, orderPathSlots: config.EVENTS_ORDER_PATH_SLOTS, leaseMs: config.EVENTS_LEASE_MS },
    observer: createEventBusMetrics(metrics, () => events.admin),
  });

  // Cart needs the authenticator users provides, and users tells cart about sign-ins:
  // the hook is bound late instead of making the two modules import each other.
  // eslint-disable-next-line prefer-const -- assigned below, after users exists; read only by the hook
  let cart: ReturnType<typeof createCartModule> | undefined;
  // eslint-disable-next-line prefer-const -- same late binding: tracking needs users' authenticator
  let tracking: ReturnType<typeof createTrackingModule> | undefined;
  // eslint-disable-next-line prefer-const -- same late binding: the admin's customer detail lists the customer's orders
  let orders: ReturnType<typeof createOrdersModule> | undefined;
  const users = createUsersModule({
    db,
    kv,
    events,
    logger: logger.child({ module: 'users' }),
    config: {
      sessionTtlHours: config.SESSION_TTL_HOURS,
      cookieSecure: config.COOKIE_SECURE,
      loginMaxAttempts: config.LOGIN_MAX_ATTEMPTS,
      loginWindowSeconds: config.LOGIN_WINDOW_SECONDS,
      loginIpMaxAttempts: config.LOGIN_IP_MAX_ATTEMPTS,
      initialAdmin:
        config.ADMIN_EMAIL && config.ADMIN_PASSWORD ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD } : undefined,
      initialStaff: config.STAFF_EMAIL && config.STAFF_PASSWORD ? { email: config.STAFF_EMAIL, password: config.STAFF_PASSWORD } : undefined,
    },
    onSignedIn: async ({ userId, request }) => {
      tracking?.api.noteSignedIn(userId, request);
      await cart?.api.mergeGuestCartFromRequest(userId, request);
    },
    customerOrders: { ordersOfCustomer: async (userId, limit) => (await orders?.api.ordersOfCustomer(userId, limit)) ?? [] },
  });
  const auth = users.api.authenticator;
  const emailOf = async (userId: string) => (await users.api.getUser(userId))?.email ?? null;
  // Every back-office action is recorded through this trail, in the acting module's own transaction.
  const audit = createAuditModule({ db, auth, emailOf });
  // Uploaded product images: a local directory by default, an S3 bucket in production.
  const s3 = {
    bucket: config.MEDIA_S3_BUCKET,
    endpoint: config.MEDIA_S3_ENDPOINT,
    region: config.MEDIA_S3_REGION,
    accessKeyId: config.MEDIA_S3_ACCESS_KEY_ID,
    secretAccessKey: config.MEDIA_S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.MEDIA_S3_FORCE_PATH_STYLE,
  };
  const media = await openObjectStoreAt({ localDir: `${config.DATA_DIR}/media`, s3 });
  // Invoice PDFs: their own local directory, never served as media; in S3 the same bucket under `invoices/`.
  const invoiceStore = await openObjectStoreAt({ localDir: `${config.DATA_DIR}/invoices`, s3 });
  // Regions, prices per currency and taxes; the catalog shows shoppers its prices in their region through it.
  const pricing = createPricingModule({ db, auth, logger: logger.child({ module: 'pricing' }), seedDemoData: config.SEED_DEMO_DATA });
  const catalog = createCatalogModule({
    db,
    prices: pricing.api,
    shopperReads: readDb,
    auth,
    audit: audit.api,
    images: media,
    logger: logger.child({ module: 'catalog' }),
    seedDemoData: config.SEED_DEMO_DATA,
    readCacheTtlMs: config.CATALOG_CACHE_TTL_MS,
    readCacheMaxAgeMs: config.CATALOG_CACHE_MAX_AGE_MS,
  });
  // Promotions: discount codes and automatic promotions.
  const promotions = createPromotionsModule({ db, auth, logger: logger.child({ module: 'promotions' }), seedDemoData: config.SEED_DEMO_DATA });
  cart = createCartModule({
    kv,
    catalog: catalog.api,
    pricing: pricing.api,
    auth,
    logger: logger.child({ module: 'cart' }),
    config: {
      ttlSeconds: config.CART_TTL_SECONDS,
      maxLines: config.CART_MAX_LINES,
      maxQuantity: config.CART_MAX_QUANTITY,
      cookieSecure: config.COOKIE_SECURE,
    },
  });

  const carrier = createCarrierFromConfig(config);
  const shipping = createShippingModule({
    db,
    events,
    provider: carrier,
    sandbox: carrier,
    convert: (amountMinor, from, to) => pricing.api.convert(amountMinor, from, to),
    audit: audit.api,
    auth,
    logger: logger.child({ module: 'shipping' }),
  });
  // The admin's order detail asks payments, shipping and notifications through their public APIs
  // (bound late: payments and notifications are created below; in remote mode payments is not here).
  // eslint-disable-next-line prefer-const -- assigned once, below
  let payments: ReturnType<typeof createPaymentsModule> | undefined;
  // eslint-disable-next-line prefer-const -- assigned once, below
  let notifications: ReturnType<typeof createNotificationsModule> | undefined;
  orders = createOrdersModule({
    db,
    events,
    audit: audit.api,
    catalog: catalog.api,
    cart: cart.api,
    shipping: shipping.api,
    customers: { emailOf },
    promotions: promotions.api,
    taxes: pricing.api,
    activity: {
      paymentOf: async (orderId) => (await payments?.api.getPaymentByOrder(orderId)) ?? null,
      shipmentsOf: (orderId) => shipping.api.shipmentsOf(orderId),
      emailsOf: async (orderId) => (await notifications?.api.emailsOf(orderId)) ?? [],
    },
    auth,
    logger: logger.child({ module: 'orders' }),
    config: {
      paymentTimeoutMinutes: config.ORDER_PAYMENT_TIMEOUT_MINUTES,
      expirySweepMs: config.ORDER_EXPIRY_SWEEP_MS,
      returnWindowDays: config.RETURN_WINDOW_DAYS,
    },
  });
  const ordersApi = orders.api;
  const invoices = createInvoicesModule({
    db,
    events,
    sources: { invoiceOrderOf: (id) => ordersApi.invoiceOrderOf(id), refundOf: (id) => ordersApi.refundOf(id) },
    store: invoiceStore,
    auth,
    logger: logger.child({ module: 'invoices' }),
    config: {
      seller: {
        name: config.INVOICE_SELLER_NAME,
        addressLines: config.INVOICE_SELLER_ADDRESS.split('|').map((l) => l.trim()).filter((l) => l !== ''),
        ...(config.INVOICE_SELLER_TAX_ID ? { taxId: config.INVOICE_SELLER_TAX_ID } : {}),
      },
      invoicePrefix: config.INVOICE_NUMBER_PREFIX,
    },
  });
  // PAYMENTS_MODE=remote: payments runs as its own process (payments-main.ts); only events cross, over NATS.
  const remotePayments = config.PAYMENTS_MODE === 'remote';
  payments = remotePayments
    ? undefined
    : createPaymentsModule({
        db,
        events,
        auth,
        gateway: createPaymentGatewayFromConfig(config, logger.child({ module: 'payment-gateway' })),
        logger: logger.child({ module: 'payments' }),
        config: { maxAttempts: config.PAYMENTS_MAX_ATTEMPTS, retry: { baseDelayMs: config.PAYMENTS_RETRY_BASE_DELAY_MS } },
      });
  const mail = createMailerFromConfig(config, kv);
  notifications = createNotificationsModule({
    db,
    events,
    audit: audit.api,
    auth,
    mailer: mail.mailer,
    logger: logger.child({ module: 'notifications' }),
    config: { shopName: config.SHOP_NAME },
  });

  // The shop is the analytics platform's first tenant: shopper behaviour goes to its collector.
  tracking = createTrackingModule({
    db,
    auth,
    events,
    logger: logger.child({ module: 'tracking' }),
    config: {
      analyticsUrl: config.ANALYTICS_URL,
      writeKey: config.ANALYTICS_WRITE_KEY,
      flushMs: config.TRACKING_FLUSH_MS,
      batchSize: config.TRACKING_BATCH_SIZE,
      cookieSecure: config.COOKIE_SECURE,
    },
  });
  const trackingApi = tracking.api;

  const modules: CommerceModule<unknown>[] = [catalog, users, audit, pricing, promotions, cart, orders, shipping, notifications, invoices, ...(payments ? [payments] : []), tracking];

  // Service extraction (seed phase 2): chosen event types go out to NATS JetStream and others come
  // back in, so a module can run in its own process with no change to the modules that talk to it.
  const relayTypes = [...new Set([...config.EVENTS_RELAY_TYPES, ...(remotePayments ? PAYMENTS_CONSUMED_EVENT_TYPES : [])])];
  const inboundTypes = [...new Set([...config.EVENTS_INBOUND_TYPES, ...(remotePayments ? PAYMENTS_PUBLISHED_EVENT_TYPES : [])])];
  const nats = { stream: config.EVENTS_NATS_STREAM, subjectPrefix: config.EVENTS_NATS_SUBJECT_PREFIX, replicas: config.EVENTS_NATS_REPLICAS };
  const relay =
    config.EVENTS_NATS_URL && relayTypes.length > 0
      ? createNatsRelay({
          bus: events,
          url: config.EVENTS_NATS_URL,
          eventTypes: relayTypes,
          ...nats,
          logger: logger.child({ module: 'events-relay' }),
        })
      : undefined;
  const inbound =
    config.EVENTS_NATS_URL && inboundTypes.length > 0
      ? createNatsInbound({
          bus: events,
          db,
          url: config.EVENTS_NATS_URL,
          eventTypes: inboundTypes,
          durable: 'commerce',
          ...nats,
          logger: logger.child({ module: 'events-inbound' }),
        })
      : undefined;

  // The same list `npm run migrate` applies.
  await migrate(db, commerceMigrations(config));

  const server = await createServer({
    logger,
    title: 'Commerce API',
    description: 'The modular-monolith shop: catalog, users, carts, checkout and event-driven order processing.',
    bodyLimit: config.BODY_LIMIT_BYTES,
    metrics,
    metricsAccess: { token: config.COMMERCE_METRICS_TOKEN, variable: 'COMMERCE_METRICS_TOKEN' },
    readiness: [
      { name: 'database', check: async () => void (await db.query('select 1')) },
      { name: 'cache', check: () => kv.ping() },
    ],
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'sid' },
      bearer: { type: 'http', scheme: 'bearer' },
    },
    isShuttingDown: () => shuttingDown,
    guards: {
      rateLimit: {
        max: config.RATE_LIMIT_MAX,
        windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
        redisUrl: config.REDIS_URL,
        prefix: 'commerce:',
        accountOf: async (request) => (await auth.identify(request))?.userId ?? null,
      },
      maxEventLoopDelayMs: config.SHED_EVENT_LOOP_DELAY_MS,
      hsts: config.COOKIE_SECURE,
    },
  });
  await server.register(fastifyCookie);
  await server.register(
    async (api) => {
      // Before the routes, so every route of this scope (and its child scopes) has them.
      api.addHook('onRequest', trackingApi.assignAnonymousId);
      api.addHook('onResponse', trackingApi.observe);
      for (const module of modules) await module.routes?.(api);
      await api.register(eventAdminRoutes({ bus: events, auth, db, audit: audit.api }));
      await api.register(
        engineHealthRoutes({
          probes: [
            { name: 'database', engine: config.DATABASE_URL ? 'postgresql' : 'pglite', check: () => db.query('select 1') },
            { name: 'cache', engine: config.REDIS_URL ? 'redis' : 'memory', check: () => kv.ping() },
          ],
          bus: events,
          bridge: { relayTypes: relay ? relayTypes : [], inboundTypes: inbound ? inboundTypes : [], relaySubscriber: 'nats-relay' },
          auth,
        }),
        { prefix: '/admin' },
      );
    },
    { prefix: '/api' },
  );
  await server.ready();
  for (const module of modules) await module.start?.();
  await relay?.start();
  await inbound?.start();
  await events.start();

  const stoppables: Stoppable[] = [
    {
      name: 'http',
      stop: async () => {
        shuttingDown = true;
        await server.close();
      },
    },
    { name: 'events-inbound', stop: async () => inbound?.stop() },
    { name: 'events', stop: () => events.stop() },
    { name: 'events-relay', stop: async () => relay?.stop() },
    { name: 'mail', stop: mail.close },
    { name: 'media', stop: () => media.close() },
    { name: 'invoice-store', stop: () => invoiceStore.close() },
    ...modules.flatMap((m) => (m.stop ? [{ name: m.name, stop: m.stop }] : [])),
    ...(overrides.kv ? [] : [{ name: 'cache', stop: () => kv.close() }]),
    ...(overrides.db ? [] : [{ name: 'database', stop: () => db.close() }]),
    ...(readDb && !overrides.readDb ? [{ name: 'database-reads', stop: () => readDb.close() }] : []),
  ];
  return {
    server,
    db,
    kv,
    events,
    stoppables,
    async close() {
      for (const s of stoppables) await s.stop();
    },
  };
}
