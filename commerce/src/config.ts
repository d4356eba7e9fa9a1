import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';

/** A comma-separated list of versioned event types, e.g. `orders.order_created.v1,orders.order_cancelled.v1`. */
function eventTypeList() {
  return z
    .string()
    .default('')
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$/, { message: 'must list event types like orders.order_created.v1' })));
}

/**
 * Every environment variable the commerce app reads, with its default. The README's
 * configuration table is written from this schema; keep them in step.
 */
const schema = z
  .object({
    COMMERCE_PORT: env.port(3000),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: env.url(['postgres:', 'postgresql:'], 'postgres://').optional(),
    DATABASE_POOL_SIZE: env.positiveInt(10),
    REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://').optional(),
    DATA_DIR: z.string().default('./data'),
    LOG_LEVEL: env.logLevel(),
    BODY_LIMIT_BYTES: env.positiveInt(1024 * 1024),
    ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
    ADMIN_PASSWORD: z.string().min(12, { message: 'must be at least 12 characters' }).optional(),
    SESSION_TTL_HOURS: env.positiveInt(24 * 30),
    COOKIE_SECURE: env.boolean(false),
    CART_TTL_SECONDS: env.positiveInt(7 * 24 * 3600),
    CART_MAX_LINES: env.positiveInt(50),
    CART_MAX_QUANTITY: env.positiveInt(99),
    /** Requests per client (account when signed in, else IP address) per window on every route; 0 turns it off. */
    RATE_LIMIT_MAX: env.nonNegativeInt(1_200),
    RATE_LIMIT_WINDOW_SECONDS: env.positiveInt(60),
    /** 503 + Retry-After while the event loop lags more than this (ms): an overload degrades instead of collapsing; 0 = off. */
    SHED_EVENT_LOOP_DELAY_MS: env.nonNegativeInt(1_000),
    /** Failed sign-ins of one email from one address (or one known device) before growing delays start. */
    LOGIN_MAX_ATTEMPTS: env.positiveInt(5),
    /** The longest of those delays, and the window of the per-address count. */
    LOGIN_WINDOW_SECONDS: env.positiveInt(15 * 60),
    /** Failed sign-ins one IP address may have per window across every account (password spraying). */
    LOGIN_IP_MAX_ATTEMPTS: env.positiveInt(100),
    SEED_DEMO_DATA: env.boolean(false),
    EVENTS_POLL_INTERVAL_MS: env.positiveInt(250),
    EVENTS_CONCURRENCY: env.positiveInt(10),
    EVENTS_NATS_URL: env.url(['nats:'], 'nats://').optional(),
    EVENTS_RELAY_TYPES: eventTypeList(),
    EVENTS_INBOUND_TYPES: eventTypeList(),
    EVENTS_NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'must be a JetStream stream name' }).default('SHOP_EVENTS'),
    EVENTS_NATS_SUBJECT_PREFIX: z
      .string()
      .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, { message: 'must be a subject prefix like shop.events' })
      .default('shop.events'),
    ORDER_PAYMENT_TIMEOUT_MINUTES: env.positiveInt(30),
    ORDER_EXPIRY_SWEEP_MS: env.positiveInt(30_000),
    PAYMENTS_MODE: z.enum(['in-process', 'remote'], { message: 'must be in-process or remote' }).default('in-process'),
    PAYMENTS_GATEWAY: z.enum(['sandbox', 'stripe'], { message: 'must be sandbox or stripe' }).default('sandbox'),
    PAYMENTS_WEBHOOK_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
    STRIPE_API_KEY: z.string().min(1).optional(),
    STRIPE_API_BASE: env.url(['http:', 'https:'], 'http(s)://').optional(),
    PAYMENTS_MAX_ATTEMPTS: env.positiveInt(8),
    PAYMENTS_RETRY_BASE_DELAY_MS: env.positiveInt(1_000),
    SHOP_NAME: z.string().min(1).max(100).default('Shop'),
    MAIL_FROM: z.string().min(3).default('Shop <shop@localhost>'),
    SMTP_URL: env.url(['smtp:', 'smtps:'], 'smtp://').optional(),
    SHIPPING_WEBHOOK_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
    SHIPPING_CURRENCY: z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code like EUR' }).default('EUR'),
    SHIPPING_COUNTRIES: z
      .string()
      .default('AT,BE,DE,DK,ES,FI,FR,GB,IE,IT,LU,NL,PL,PT,SE')
      .transform((s) => s.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, { message: 'must list ISO alpha-2 codes like FR,DE' })).min(1)),
    SHIPPING_STANDARD_MINOR: z.coerce.number({ message: 'must be a non-negative integer' }).int().nonnegative().default(490),
    SHIPPING_EXPRESS_BASE_MINOR: env.positiveInt(990),
    SHIPPING_EXPRESS_PER_500G_MINOR: env.positiveInt(150),
    SHIPPING_FREE_FROM_MINOR: z.coerce.number({ message: 'must be a non-negative integer' }).int().nonnegative().optional(),
    SHIPPING_MAX_WEIGHT_GRAMS: env.positiveInt(30_000),
    /** The analytics collector (`npm start` sets it); with ANALYTICS_WRITE_KEY, shopper behaviour is sent there. */
    ANALYTICS_URL: env.url(['http:', 'https:'], 'http://').optional(),
    ANALYTICS_WRITE_KEY: z.string().regex(/^wk_[\w-]{32,97}$/, { message: 'must be an analytics write key (wk_...)' }).optional(),
    /** Tracked events are written to the spool in batches this often; a crash loses at most this much. */
    TRACKING_FLUSH_MS: env.positiveInt(100),
    TRACKING_BATCH_SIZE: env.positiveInt(100).refine((n) => n <= 100, { message: 'must be at most 100' }),
  })
  .refine((c) => c.PAYMENTS_GATEWAY !== 'stripe' || Boolean(c.STRIPE_API_KEY && c.PAYMENTS_WEBHOOK_SECRET), {
    message: 'STRIPE_API_KEY and PAYMENTS_WEBHOOK_SECRET are required with PAYMENTS_GATEWAY=stripe',
    path: ['PAYMENTS_GATEWAY'],
  })
  .refine((c) => c.PAYMENTS_MODE !== 'remote' || Boolean(c.EVENTS_NATS_URL), {
    message: 'EVENTS_NATS_URL is required with PAYMENTS_MODE=remote (payments runs in its own process)',
    path: ['PAYMENTS_MODE'],
  })
  .refine((c) => Boolean(c.ADMIN_EMAIL) === Boolean(c.ADMIN_PASSWORD), {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  })
  .refine((c) => Boolean(c.ANALYTICS_URL) === Boolean(c.ANALYTICS_WRITE_KEY), {
    message: 'ANALYTICS_URL and ANALYTICS_WRITE_KEY must be set together',
    path: ['ANALYTICS_WRITE_KEY'],
  });

export type CommerceConfig = z.output<typeof schema>;

export function loadCommerceConfig(source: NodeJS.ProcessEnv = process.env): CommerceConfig {
  return parseEnv(schema as unknown as z.ZodObject, source) as CommerceConfig;
}
