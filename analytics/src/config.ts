import { z } from 'zod';
import { ConfigError, env, parseEnv } from '@shop/platform';
import { logRetentionEnv } from './log/log-retention-config.ts';
import { checkObjectStoreConfig, objectStoreEnv } from './storage/object-store-config.ts';

const kafkaBrokers = z
  .string()
  .transform((value) => value.split(',').map((b) => b.trim()).filter(Boolean))
  .refine((brokers) => brokers.length > 0 && brokers.every((b) => /^[\w.-]+:\d{1,5}$/.test(b)), {
    message: 'must be a comma-separated list of host:port',
  });

/**
 * Every environment variable the analytics app reads, with its default. No secret has a
 * default: without ANALYTICS_ADMIN_TOKEN the admin API is off.
 */
const schema = z.object({
  ...objectStoreEnv,
  ...logRetentionEnv,
  ANALYTICS_PORT: env.port(3100),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://').optional(),
  NATS_URL: env.url(['nats:', 'tls:'], 'nats://').optional(),
  KAFKA_BROKERS: kafkaBrokers.optional(),
  ANALYTICS_ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  LOG_LEVEL: env.logLevel(),
  /** Requests per client (tenant or admin when a key is presented, else IP address) per window on the query and admin routes; 0 = off. */
  ANALYTICS_RATE_LIMIT_MAX: env.nonNegativeInt(1_200),
  ANALYTICS_RATE_LIMIT_WINDOW_SECONDS: env.positiveInt(60),
  /** 503 + Retry-After while the event loop lags more than this (ms); 0 = off. */
  ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: env.nonNegativeInt(1_000),
  /** Strict-Transport-Security on every answer: set it when the API is served over HTTPS. */
  ANALYTICS_HSTS: env.boolean(false),
  /** Every process of a deployment must agree on it: it decides which partition a tenant is on. */
  ANALYTICS_LOG_PARTITIONS: env.positiveInt(8),
  /** Names shared with the stand-alone speed layer (analytics/src/speed/main.ts). */
  ANALYTICS_NATS_STREAM_PREFIX: z.string().regex(/^[\w-]{1,32}$/, { message: 'must be 1-32 letters, digits, _ or -' }).default('analytics'),
  ANALYTICS_REDIS_PREFIX: z.string().default('analytics:'),
  /** Run the speed layer inside this process (embedded default); false when speed/main.ts runs apart. */
  ANALYTICS_SPEED_IN_PROCESS: env.boolean(true),
  /** Run the archiver (log -> raw store) inside this process (embedded default); false when archive/main.ts runs apart. */
  ANALYTICS_ARCHIVE_IN_PROCESS: env.boolean(true),
  ARCHIVE_FLUSH_RECORDS: env.positiveInt(10_000),
  ARCHIVE_FLUSH_MS: env.positiveInt(1000),
  /** Run the batch job inside this process on a timer (embedded default). */
  ANALYTICS_BATCH_IN_PROCESS: env.boolean(true),
  ANALYTICS_BATCH_EVERY_MS: env.positiveInt(5 * 60_000),
  /** A UTC day is closed (late arrivals are then the speed layer's) this long after it ends. */
  ANALYTICS_BATCH_GRACE_MS: env.positiveInt(5 * 60_000),
  /** Segment's limits: 32 KB per event, 500 KB per request. */
  ANALYTICS_MAX_EVENT_BYTES: env.positiveInt(32 * 1024),
  ANALYTICS_MAX_BATCH_BYTES: env.positiveInt(500 * 1024),
  ANALYTICS_DEDUP_WINDOW_HOURS: env.positiveInt(24).refine((h) => h >= 24, { message: 'must be at least 24 (hours)' }),
  ANALYTICS_DEDUP_MAX_ENTRIES: env.positiveInt(1_000_000),
  ANALYTICS_DEFAULT_DAILY_QUOTA: env.positiveInt(1_000_000),
  ANALYTICS_DEFAULT_RATE_LIMIT: env.positiveInt(1000),
  ANALYTICS_KEY_CACHE_TTL_MS: env.positiveInt(5000),
  /** All three set (`npm start` does): the demo tenant exists with exactly these keys. */
  ANALYTICS_DEMO_TENANT: z.string().optional(),
  ANALYTICS_DEMO_WRITE_KEY: z.string().regex(/^wk_[\w-]{32,97}$/, { message: 'must be a write key (wk_...)' }).optional(),
  ANALYTICS_DEMO_READ_KEY: z.string().regex(/^rk_[\w-]{32,97}$/, { message: 'must be a read key (rk_...)' }).optional(),
  ANALYTICS_DEMO_TIME_ZONE: z.string().default('UTC'),
  /** Days of made-up history a brand-new demo tenant gets (`npm start` sets 14); 0: none. */
  ANALYTICS_DEMO_HISTORY_DAYS: z.coerce.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0).max(90).default(0),
  /** `*` or a comma-separated list of origins allowed to send from browsers. */
  ANALYTICS_CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value): string[] | '*' => (value.trim() === '*' ? '*' : value.split(',').map((o) => o.trim()).filter(Boolean))),
});

export type AnalyticsConfig = z.output<typeof schema>;

export function loadAnalyticsConfig(source: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const config = parseEnv(schema, source);
  try {
    checkObjectStoreConfig(config);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  return config;
}
