import { z } from 'zod';
import { env, metricsTokenEnv, parseEnv } from '@shop/platform';
import { postgresUrl } from './shared/database/postgres-url.ts';

/** A comma-separated list of versioned event types, e.g. `orders.order_created.v1,orders.order_cancelled.v1`. */
function eventTypeList() {
  return z
    .string()
    .default('')
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$/, { message: 'must list event types like orders.order_created.v1' })));
}

/**
 * Every environment variable the commerce app reads, with its default and a description:
 * docs/configuration.md is generated from these schemas (`npm run docs:generate`).
 */
export const commerceEnvSchema = z
  .object({
    COMMERCE_PORT: env.port(3000).describe('HTTP port of the commerce API.'),
    HOST: z.string().default('127.0.0.1').describe('Interface to listen on (`0.0.0.0` in containers).'),
    DATABASE_URL: postgresUrl().optional().describe('`postgres://...` switches to a real PostgreSQL; unset: PGlite (embedded) under `DATA_DIR/pglite`. Several hosts fail over as in libpq: `postgres://shop@db1:5432,db2:5432/shop?target_session_attrs=read-write` uses the first writable one and moves to the next when it goes away.'),
    DATABASE_READ_URL: postgresUrl().optional().describe('Shoppers\' catalog reads (product listings, details, categories) go here, e.g. a streaming standby (`...?target_session_attrs=prefer-standby`); they may lag the primary by the replication delay. Admin reads, checkout and everything else stay on DATABASE_URL. Unset: all reads on DATABASE_URL.'),
    DATABASE_POOL_SIZE: env.positiveInt(10).describe('Connections per instance and host (PostgreSQL only).'),
    DATABASE_FAILOVER_WAIT_MS: env.nonNegativeInt(5_000).describe('How long a request waits for a usable PostgreSQL (a standby being promoted) before answering 503 with Retry-After.'),
    REDIS_URL: env.redisUrl().optional().describe('`redis://...` puts carts, login limits and sent-mail marks in Redis, `redis+cluster://host:port,host:port` in a Redis Cluster (seed nodes); unset: an in-process store.'),
    DATA_DIR: z.string().default('./data').describe('Where the embedded engines keep their files: PGlite (`pglite/`) and captured mail (`mail/`).'),
    LOG_LEVEL: env.logLevel().describe('pino log level.'),
    COMMERCE_METRICS_TOKEN: metricsTokenEnv().describe('Bearer token Prometheus sends to scrape `/metrics` (it shows order volumes); unset: `/metrics` answers 403.'),
    BODY_LIMIT_BYTES: env.positiveInt(1024 * 1024).describe('Larger request bodies get 413.'),
    ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional().describe('With ADMIN_PASSWORD: creates (or promotes) this admin at start.'),
    ADMIN_PASSWORD: z.string().min(12, { message: 'must be at least 12 characters' }).optional().describe('With ADMIN_EMAIL: the admin password, at least 12 characters.'),
    MEDIA_S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a valid S3 bucket name' }).optional().describe('Keeps uploaded product images in this S3 bucket; unset: the local directory `DATA_DIR/media`.'),
    MEDIA_S3_ENDPOINT: env.url(['http:', 'https:'], 'http(s)://').optional().describe('An S3-compatible server (MinIO) for product images; unset: AWS.'),
    MEDIA_S3_REGION: z.string().default('us-east-1').describe('S3 region of MEDIA_S3_BUCKET.'),
    MEDIA_S3_ACCESS_KEY_ID: z.string().optional().describe('With MEDIA_S3_SECRET_ACCESS_KEY; unset: the AWS SDK default credential chain.'),
    MEDIA_S3_SECRET_ACCESS_KEY: z.string().optional().describe('With MEDIA_S3_ACCESS_KEY_ID.'),
    MEDIA_S3_FORCE_PATH_STYLE: env.boolean(false).describe('Path-style bucket addressing for MEDIA_S3_BUCKET (MinIO and most self-hosted servers need it).'),
    STAFF_EMAIL: z.email({ message: 'must be an email address' }).optional().describe('With STAFF_PASSWORD: creates this back-office staff account (orders and shipments; no prices, refunds or audit log) at start.'),
    STAFF_PASSWORD: z.string().min(12, { message: 'must be at least 12 characters' }).optional().describe('With STAFF_EMAIL: the staff password, at least 12 characters.'),
    SESSION_TTL_HOURS: env.positiveInt(24 * 30).describe('Session lifetime.'),
    COOKIE_SECURE: env.boolean(false).describe('Marks cookies `Secure`; set `true` behind HTTPS.'),
    CART_TTL_SECONDS: env.positiveInt(7 * 24 * 3600).describe('An untouched cart expires after this.'),
    CART_MAX_LINES: env.positiveInt(50).describe('Lines per cart.'),
    CART_MAX_QUANTITY: env.positiveInt(99).describe('Quantity per cart line.'),
    RATE_LIMIT_MAX: env.nonNegativeInt(1_200).describe('Requests per client (account when signed in, else IP address) per window on every route; 0: off.'),
    RATE_LIMIT_WINDOW_SECONDS: env.positiveInt(60).describe('The window of RATE_LIMIT_MAX.'),
    SHED_EVENT_LOOP_DELAY_MS: env.nonNegativeInt(1_000).describe('Answers 503 with Retry-After while the event loop lags more than this (ms), so an overload degrades instead of collapsing; 0: off.'),
    LOGIN_MAX_ATTEMPTS: env.positiveInt(5).describe('Failed sign-ins of one email from one address (or one known device) before growing delays start.'),
    LOGIN_WINDOW_SECONDS: env.positiveInt(15 * 60).describe('The longest of those delays, and the window of the per-address count.'),
    LOGIN_IP_MAX_ATTEMPTS: env.positiveInt(100).describe('Failed sign-ins one IP address may have per window across every account (password spraying).'),
    CATALOG_CACHE_TTL_MS: env.nonNegativeInt(30_000).describe('Shopper reads that show units left (product pages, the cart\'s variant snapshots) are cached in each instance at most this long. Any catalog write and any change of a variant\'s stock state (in stock or not; units left once 5 or fewer) clear the cache at once in every instance; other stock moves by orders (units left above 5) show after at most this; 0: no cache.'),
    CATALOG_CACHE_MAX_AGE_MS: env.positiveInt(300_000).describe('Shopper listings (which show in stock or not, never units left) are kept until a catalog write or in-stock change clears them, at most this long (what no notice covers: a changed regional rate, a lagging standby).'),
    COMMERCE_PROCESSES: env.positiveInt(1).describe('App processes sharing the port (node:cluster), e.g. one per core; more than 1 needs DATABASE_URL and REDIS_URL, which the processes share.'),
    SEED_DEMO_DATA: env.boolean(false).describe('Loads the demo catalog into an empty database (`npm start` sets `true`).'),
    EVENTS_POLL_INTERVAL_MS: env.positiveInt(250).describe('Event bus fallback poll for due retries and expired leases (LISTEN/NOTIFY wakes it first).'),
    EVENTS_CONCURRENCY: env.positiveInt(32).describe('Event handlers in flight per instance (the deliveries of one event start together, so a few more may run). Handlers mostly wait on the database, gateway and mail files: too few slots, not CPU, then bound the bus.'),
    EVENTS_ORDER_PATH_SLOTS: env.nonNegativeInt(4).describe('Of EVENTS_CONCURRENCY, slots only deliveries between checkout and paid (payments\' OrderCreated, orders\' PaymentCompleted) may take; they also start before queued e-mails, invoices and labels. 0: every delivery in arrival order.'),
    EVENTS_LEASE_MS: env.positiveInt(30_000).describe('A claimed delivery stays with its instance this long; one whose outcome could not be recorded (instance killed, database failing over) runs again after it. Longer than the slowest handler.'),
    EVENTS_NATS_URL: env.urlList(['nats:'], 'nats://').optional().describe('NATS JetStream for service extraction: relays EVENTS_RELAY_TYPES out and takes EVENTS_INBOUND_TYPES in. For a cluster list every node, comma-separated, so the client fails over to a survivor.'),
    EVENTS_NATS_REPLICAS: env.replicas().describe('JetStream replicas of the relay stream and its consumers when this process creates the stream: 3 on a three-node cluster; unset: 1. An existing stream keeps its own.'),
    EVENTS_RELAY_TYPES: eventTypeList().describe('Comma-separated event types published to NATS (e.g. `orders.order_created.v1`).'),
    EVENTS_INBOUND_TYPES: eventTypeList().describe('Comma-separated event types taken in from NATS and published on the local bus.'),
    EVENTS_NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'must be a JetStream stream name' }).default('SHOP_EVENTS').describe('JetStream stream of the relay.'),
    EVENTS_NATS_SUBJECT_PREFIX: z
      .string()
      .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, { message: 'must be a subject prefix like shop.events' })
      .default('shop.events').describe('Subject prefix of the relay; an event goes to `<prefix>.<type>`.'),
    ORDER_PAYMENT_TIMEOUT_MINUTES: env.positiveInt(30).describe('An order still unpaid after this is cancelled and its stock released.'),
    RETURN_WINDOW_DAYS: env.positiveInt(30).describe('Days after delivery during which a customer may ask to return units.'),
    ORDER_EXPIRY_SWEEP_MS: env.positiveInt(30_000).describe('How often unpaid orders are checked for expiry.'),
    PAYMENTS_MODE: z.enum(['in-process', 'remote'], { message: 'must be in-process or remote' }).default('in-process').describe('`remote`: payments runs as `commerce/src/payments-main.ts` in its own process and talks over NATS (needs EVENTS_NATS_URL).'),
    PAYMENTS_GATEWAY: z.enum(['sandbox', 'stripe'], { message: 'must be sandbox or stripe' }).default('sandbox').describe('`stripe` uses the official Stripe SDK (needs STRIPE_API_KEY and PAYMENTS_WEBHOOK_SECRET).'),
    PAYMENTS_WEBHOOK_SECRET: z.string().min(16, { message: 'must be at least 16 characters' }).optional().describe('Secret that gateway webhooks are signed with; at least 16 characters.'),
    STRIPE_API_KEY: z.string().min(1).optional().describe('Stripe secret key (PAYMENTS_GATEWAY=stripe).'),
    STRIPE_API_BASE: env.url(['http:', 'https:'], 'http(s)://').optional().describe('Another Stripe API base URL (a local fake in tests).'),
    PAYMENTS_MAX_ATTEMPTS: env.positiveInt(8).describe('Gateway attempts (exponential backoff) before a payment fails.'),
    PAYMENTS_RETRY_BASE_DELAY_MS: env.positiveInt(1_000).describe('First retry delay of the gateway backoff.'),
    SHOP_NAME: z.string().min(1).max(100).default('Shop').describe('Shop name in emails.'),
    INVOICE_SELLER_NAME: z.string().min(1).max(200).default('Shop SAS').describe('Seller name printed on invoices and credit notes.'),
    INVOICE_SELLER_ADDRESS: z.string().min(1).max(500).default('1 Rue de la Paix, 75002 Paris, France').describe('Seller address on invoices; `|` separates lines.'),
    INVOICE_SELLER_TAX_ID: z.string().max(50).default('FR00000000000').describe('Seller VAT or tax number on invoices (empty: none printed).'),
    INVOICE_NUMBER_PREFIX: z.string().regex(/^[A-Z]{1,6}$/, { message: 'must be 1-6 capital letters' }).default('INV').describe('Invoice numbers read PREFIX-YEAR-000001; credit notes use CN.'),
    MAIL_FROM: z.string().min(3).default('Shop <shop@localhost>').describe('Sender address of the shop emails.'),
    SMTP_URL: env.url(['smtp:', 'smtps:'], 'smtp://').optional().describe('`smtp://...` sends email through this server; unset: emails are captured as `.eml` files under `DATA_DIR/mail` (admin: `GET /api/admin/mail`).'),
    SHIPPING_WEBHOOK_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional().describe('Secret that carrier webhooks are signed with; at least 32 characters; unset: the carrier webhook is off.'),
    SHIPPING_CURRENCY: z.string().regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code like EUR' }).default('EUR').describe('Currency of the shipping rates (ISO 4217).'),
    SHIPPING_COUNTRIES: z
      .string()
      .default('AT,BE,DE,DK,ES,FI,FR,GB,IE,IT,LU,NL,PL,PT,SE,US,JP')
      .transform((s) => s.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[A-Z]{2}$/, { message: 'must list ISO alpha-2 codes like FR,DE' })).min(1)).describe('Countries shipped to (ISO alpha-2, comma-separated).'),
    SHIPPING_STANDARD_MINOR: z.coerce.number({ message: 'must be a non-negative integer' }).int().nonnegative().default(490).describe('Flat standard shipping rate in minor units.'),
    SHIPPING_EXPRESS_BASE_MINOR: env.positiveInt(990).describe('Express rate base in minor units.'),
    SHIPPING_EXPRESS_PER_500G_MINOR: env.positiveInt(150).describe('Express rate per started 500 g, in minor units.'),
    SHIPPING_FREE_FROM_MINOR: z.coerce.number({ message: 'must be a non-negative integer' }).int().nonnegative().optional().describe('Standard shipping is free from this subtotal (minor units); unset: never free.'),
    SHIPPING_MAX_WEIGHT_GRAMS: env.positiveInt(30_000).describe('Heaviest parcel the carrier takes.'),
    ANALYTICS_URL: env.url(['http:', 'https:'], 'http://').optional().describe('The analytics collector shopper behaviour is sent to, with ANALYTICS_WRITE_KEY (`npm start` sets both); unset: tracking off.'),
    ANALYTICS_WRITE_KEY: z.string().regex(/^wk_[\w-]{32,97}$/, { message: 'must be an analytics write key (wk_...)' }).optional().describe('The write key of the shop analytics tenant (`wk_...`).'),
    TRACKING_FLUSH_MS: env.positiveInt(100).describe('Tracked events are written to the spool in batches this often; a crash loses at most this much.'),
    TRACKING_BATCH_SIZE: env.positiveInt(100).refine((n) => n <= 100, { message: 'must be at most 100' }).describe('Events per request to the collector (at most 100).'),
  })
  .refine((c) => c.PAYMENTS_GATEWAY !== 'stripe' || Boolean(c.STRIPE_API_KEY && c.PAYMENTS_WEBHOOK_SECRET), {
    message: 'STRIPE_API_KEY and PAYMENTS_WEBHOOK_SECRET are required with PAYMENTS_GATEWAY=stripe',
    path: ['PAYMENTS_GATEWAY'],
  })
  .refine((c) => c.PAYMENTS_MODE !== 'remote' || Boolean(c.EVENTS_NATS_URL), {
    message: 'EVENTS_NATS_URL is required with PAYMENTS_MODE=remote (payments runs in its own process)',
    path: ['PAYMENTS_MODE'],
  })
  .refine((c) => Boolean(c.MEDIA_S3_ACCESS_KEY_ID) === Boolean(c.MEDIA_S3_SECRET_ACCESS_KEY), {
    message: 'MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY must be set together',
    path: ['MEDIA_S3_SECRET_ACCESS_KEY'],
  })
  .refine((c) => Boolean(c.STAFF_EMAIL) === Boolean(c.STAFF_PASSWORD), {
    message: 'STAFF_EMAIL and STAFF_PASSWORD must be set together',
    path: ['STAFF_PASSWORD'],
  })
  .refine((c) => Boolean(c.ADMIN_EMAIL) === Boolean(c.ADMIN_PASSWORD), {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  })
  .refine((c) => Boolean(c.ANALYTICS_URL) === Boolean(c.ANALYTICS_WRITE_KEY), {
    message: 'ANALYTICS_URL and ANALYTICS_WRITE_KEY must be set together',
    path: ['ANALYTICS_WRITE_KEY'],
  })
  .describe('commerce app');

export type CommerceConfig = z.output<typeof commerceEnvSchema>;

export function loadCommerceConfig(source: NodeJS.ProcessEnv = process.env): CommerceConfig {
  return parseEnv(commerceEnvSchema as unknown as z.ZodObject, source) as CommerceConfig;
}
