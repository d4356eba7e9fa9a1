import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  ConfigError,
  createLogger,
  createMetricsRegistry,
  createServer,
  env,
  forbidden,
  metricsTokenEnv,
  onShutdownSignal,
  parseEnv,
  unauthorized,
  type Logger,
  type Stoppable,
} from '@shop/platform';
import {
  createPaymentGateway,
  createPaymentsModule,
  PAYMENTS_CONSUMED_EVENT_TYPES,
  PAYMENTS_PUBLISHED_EVENT_TYPES,
} from './modules/payments/index.ts';
import { migrate, openDatabase } from './shared/database/index.ts';
import { postgresUrl } from './shared/database/postgres-url.ts';
import { createEventBus, createEventBusMetrics, createNatsInbound, createNatsRelay, eventAdminRoutes, type EventBus } from './shared/events/index.ts';
import type { Authenticator } from './shared/http/auth.ts';

/**
 * Payments as its own process (seed phase 2). It shares nothing with the monolith but NATS:
 * its own database (the `payments` schema and its own bus's `events` schema, which must not be
 * the monolith's: two buses on one `events` schema would fan out to each other's subscribers),
 * OrderCreated / OrderCancelled in from JetStream, PaymentCompleted / Failed / Refunded out.
 */
export const paymentsServiceEnvSchema = z
  .object({
    PAYMENTS_PORT: env.port(3001).describe('HTTP port of the stand-alone payments service (webhooks, admin, health).'),
    HOST: z.string().default('127.0.0.1'),
    // Never the monolith's database (see above).
    PAYMENTS_DATABASE_URL: postgresUrl()
      .optional()
      .describe('The payments service database; unset: PGlite under `DATA_DIR/payments-pglite`. Never the monolith database. Several hosts fail over as DATABASE_URL does.'),
    DATABASE_POOL_SIZE: env.positiveInt(10),
    DATA_DIR: z.string().default('./data'),
    LOG_LEVEL: env.logLevel(),
    EVENTS_NATS_URL: env.urlList(['nats:'], 'nats://').describe('NATS JetStream the service takes orders events from and sends payments events to; every node of a cluster, comma-separated.'),
    EVENTS_NATS_REPLICAS: env.replicas(),
    EVENTS_NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'must be a JetStream stream name' }).default('SHOP_EVENTS'),
    EVENTS_NATS_SUBJECT_PREFIX: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, { message: 'must be a subject prefix like shop.events' }).default('shop.events'),
    EVENTS_POLL_INTERVAL_MS: env.positiveInt(250),
    EVENTS_CONCURRENCY: env.positiveInt(32),
    EVENTS_ORDER_PATH_SLOTS: env.nonNegativeInt(4),
    PAYMENTS_GATEWAY: z.enum(['sandbox', 'stripe'], { message: 'must be sandbox or stripe' }).default('sandbox'),
    PAYMENTS_WEBHOOK_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
    STRIPE_API_KEY: z.string().min(1).optional(),
    STRIPE_API_BASE: env.url(['http:', 'https:'], 'http(s)://').optional(),
    PAYMENTS_MAX_ATTEMPTS: env.positiveInt(8),
    PAYMENTS_RETRY_BASE_DELAY_MS: env.positiveInt(1_000),
    PAYMENTS_ADMIN_TOKEN: z
      .string()
      .min(24, { message: 'must be at least 24 characters' })
      .optional()
      .describe('Bearer token for the payments service admin routes; unset: they refuse everyone.'),
    PAYMENTS_METRICS_TOKEN: metricsTokenEnv().describe('Bearer token Prometheus sends to scrape `/metrics`; unset: `/metrics` answers 403.'),
  })
  .refine((c) => c.PAYMENTS_GATEWAY !== 'stripe' || (c.STRIPE_API_KEY && c.PAYMENTS_WEBHOOK_SECRET), {
    message: 'STRIPE_API_KEY and PAYMENTS_WEBHOOK_SECRET are required with PAYMENTS_GATEWAY=stripe',
    path: ['PAYMENTS_GATEWAY'],
  })
  .describe('payments service');

export type PaymentsServiceConfig = z.output<typeof paymentsServiceEnvSchema>;

export function loadPaymentsServiceConfig(source: NodeJS.ProcessEnv = process.env): PaymentsServiceConfig {
  return parseEnv(paymentsServiceEnvSchema as unknown as z.ZodObject, source) as PaymentsServiceConfig;
}

/** No users module here: admins present `Authorization: Bearer <PAYMENTS_ADMIN_TOKEN>`. */
function adminTokenAuthenticator(token: string | undefined): Authenticator {
  const identify: Authenticator['identify'] = async (request) => {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token || !given || given.length !== token.length || !timingSafeEqual(Buffer.from(given), Buffer.from(token))) return null;
    return { userId: 'payments-admin', role: 'admin', sessionId: 'payments-admin-token', via: 'bearer' };
  };
  const requireUser: Authenticator['requireUser'] = async (request) => (await identify(request)) ?? Promise.reject(unauthorized());
  return {
    identify,
    requireUser,
    async requireAdmin(request) {
      const principal = await requireUser(request);
      if (principal.role !== 'admin') throw forbidden('Admins only');
      return principal;
    },
  };
}

/** Builds and starts the payments service; resolves once it listens. */
export async function startPaymentsService(config: PaymentsServiceConfig, logger: Logger) {
  const db = await openDatabase({ url: config.PAYMENTS_DATABASE_URL, dataDir: `${config.DATA_DIR}/payments-pglite`, poolSize: config.DATABASE_POOL_SIZE });
  const metrics = createMetricsRegistry('payments');
  const events: EventBus = createEventBus({
    db,
    logger: logger.child({ module: 'events' }),
    options: { pollIntervalMs: config.EVENTS_POLL_INTERVAL_MS, concurrency: config.EVENTS_CONCURRENCY, orderPathSlots: config.EVENTS_ORDER_PATH_SLOTS },
    observer: createEventBusMetrics(metrics, () => events.admin),
  });
  const auth = adminTokenAuthenticator(config.PAYMENTS_ADMIN_TOKEN);
  const gateway =
    config.PAYMENTS_GATEWAY === 'stripe'
      ? createPaymentGateway({
          kind: 'stripe',
          apiKey: config.STRIPE_API_KEY ?? '',
          webhookSecret: config.PAYMENTS_WEBHOOK_SECRET ?? '',
          baseUrl: config.STRIPE_API_BASE,
          logger,
        })
      : createPaymentGateway({
          kind: 'sandbox',
          // The sandbox signs only the webhooks it sends to this very process: a per-process secret is enough.
          webhookSecret: config.PAYMENTS_WEBHOOK_SECRET ?? randomBytes(32).toString('hex'),
          webhookUrl: `http://127.0.0.1:${config.PAYMENTS_PORT}/api/payments/webhooks/gateway`,
          stateFile: `${config.DATA_DIR}/payments-sandbox/journal.jsonl`,
          logger,
        });
  const payments = createPaymentsModule({
    db,
    events,
    gateway,
    auth,
    logger: logger.child({ module: 'payments' }),
    config: { maxAttempts: config.PAYMENTS_MAX_ATTEMPTS, retry: { baseDelayMs: config.PAYMENTS_RETRY_BASE_DELAY_MS } },
  });
  const nats = { url: config.EVENTS_NATS_URL, stream: config.EVENTS_NATS_STREAM, subjectPrefix: config.EVENTS_NATS_SUBJECT_PREFIX, replicas: config.EVENTS_NATS_REPLICAS };
  const relay = createNatsRelay({ ...nats, bus: events, eventTypes: PAYMENTS_PUBLISHED_EVENT_TYPES, logger: logger.child({ module: 'events-relay' }) });
  const inbound = createNatsInbound({
    ...nats,
    bus: events,
    db,
    eventTypes: PAYMENTS_CONSUMED_EVENT_TYPES,
    durable: 'payments',
    logger: logger.child({ module: 'events-inbound' }),
  });
  await migrate(db, [events.migrations, payments.migrations]);

  let shuttingDown = false;
  const server = await createServer({
    logger,
    title: 'Payments service',
    description: 'The payments module in its own process, fed by events over NATS JetStream.',
    metrics,
    metricsAccess: { token: config.PAYMENTS_METRICS_TOKEN, variable: 'PAYMENTS_METRICS_TOKEN' },
    readiness: [{ name: 'database', check: async () => void (await db.query('select 1')) }],
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    isShuttingDown: () => shuttingDown,
  });
  await server.register(
    async (api) => {
      await payments.routes(api);
      await api.register(eventAdminRoutes({ bus: events, auth }));
    },
    { prefix: '/api' },
  );
  await server.ready();
  await relay.start();
  await inbound.start();
  await events.start();
  await server.listen({ port: config.PAYMENTS_PORT, host: config.HOST });

  const stoppables: Stoppable[] = [
    {
      name: 'http',
      stop: async () => {
        shuttingDown = true;
        await server.close();
      },
    },
    { name: 'events-inbound', stop: () => inbound.stop() },
    { name: 'events', stop: () => events.stop() },
    { name: 'events-relay', stop: () => relay.stop() },
    { name: 'database', stop: () => db.close() },
  ];
  return { server, db, events, stoppables };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const config = loadPaymentsServiceConfig();
    const logger = createLogger('payments', config.LOG_LEVEL);
    const service = await startPaymentsService(config, logger);
    onShutdownSignal(logger, () => service.stoppables);
    logger.info({ port: config.PAYMENTS_PORT, stream: config.EVENTS_NATS_STREAM }, 'payments service started');
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
