import { z } from 'zod';
import { ConfigError, env, metricsTokenEnv, parseEnv } from '@shop/platform';
import { DEFAULT_MAX_EVENT_AGE_DAYS } from './collector/index.ts';
import { logEnv } from './log/index.ts';
import { checkObjectStoreConfig, objectStoreEnv } from './storage/index.ts';

/**
 * Every environment variable the analytics app reads, with its default. No secret has a
 * default: without ANALYTICS_ADMIN_TOKEN the admin API is off.
 */
const schema = z.object({
  ...objectStoreEnv,
  ...logEnv,
  ANALYTICS_PORT: env.port(3100),
  HOST: z.string().default('127.0.0.1'),
  REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://').optional(),
  ANALYTICS_ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional(),
  LOG_LEVEL: env.logLevel(),
  /** Shared with the stand-alone speed layer (analytics/src/processes/speed.ts). */
  /** Bearer token Prometheus sends to scrape /metrics; unset: /metrics answers 403 (its series name tenants). */
  ANALYTICS_METRICS_TOKEN: metricsTokenEnv(),
  ANALYTICS_REDIS_PREFIX: z.string().default('analytics:'),
  /** Run the speed layer inside this process (embedded default); false when processes/speed.ts runs apart. */
  ANALYTICS_SPEED_IN_PROCESS: env.boolean(true),
  /** Run the archiver (log -> raw store) inside this process (embedded default); false when processes/archiver.ts runs apart. */
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
  ANALYTICS_MAX_EVENT_AGE_DAYS: env
    .positiveInt(DEFAULT_MAX_EVENT_AGE_DAYS)
    .describe('Oldest event the collector accepts, in days before its arrival, for tenants without their own maxEventAgeDays; older ones are rejected (EVENT_TOO_OLD)'),
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
