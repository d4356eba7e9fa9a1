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
    LOGIN_MAX_ATTEMPTS: env.positiveInt(5),
    LOGIN_WINDOW_SECONDS: env.positiveInt(15 * 60),
    SEED_DEMO_DATA: env.boolean(false),
    EVENTS_POLL_INTERVAL_MS: env.positiveInt(250),
    EVENTS_CONCURRENCY: env.positiveInt(10),
    EVENTS_NATS_URL: env.url(['nats:'], 'nats://').optional(),
    EVENTS_RELAY_TYPES: eventTypeList(),
    EVENTS_INBOUND_TYPES: eventTypeList(),
  })
  .refine((c) => Boolean(c.ADMIN_EMAIL) === Boolean(c.ADMIN_PASSWORD), {
    message: 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together',
    path: ['ADMIN_PASSWORD'],
  });

export type CommerceConfig = z.output<typeof schema>;

export function loadCommerceConfig(source: NodeJS.ProcessEnv = process.env): CommerceConfig {
  return parseEnv(schema as unknown as z.ZodObject, source) as CommerceConfig;
}
