import { z } from 'zod';
import { ConfigError, env, metricsTokenEnv, parseEnv } from '@shop/platform';
import { DEFAULT_MAX_EVENT_AGE_DAYS } from './collector/index.ts';
import { logEnv } from './log/index.ts';
import { checkObjectStoreConfig, objectStoreEnv } from './storage/index.ts';
import { apiWorkersProblems } from './api-workers-config.ts';

/**
 * Every environment variable the analytics app reads, with its default and a description
 * (docs/configuration.md is generated from it). No secret has a default: without
 * ANALYTICS_ADMIN_TOKEN the admin API is off.
 */
export const analyticsEnvSchema = z
  .object({
    ...objectStoreEnv,
    ...logEnv,
    ANALYTICS_PORT: env.port(3100).describe('HTTP port of the collector, admin and query API and the dashboard.'),
    HOST: z.string().default('127.0.0.1').describe('Interface to listen on (`0.0.0.0` in containers).'),
    REDIS_URL: env.redisUrl().optional().describe('`redis://...` puts tenants, dedup marks, rate limits, quotas and the speed-layer views in Redis, `redis+cluster://host:port,host:port` in a Redis Cluster (seed nodes); unset: in-process (a restart rebuilds the views from the log).'),
    ANALYTICS_ADMIN_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }).optional().describe('Bearer token of the admin API (`/admin/tenants`, erasures), at least 16 characters; unset: the admin API is off.'),
    LOG_LEVEL: env.logLevel().describe('pino log level.'),
    ANALYTICS_METRICS_TOKEN: metricsTokenEnv().describe('Bearer token Prometheus sends to scrape `/metrics`, whose series name every tenant (`npm start` generates one and prints it); unset: `/metrics` answers 403.'),
    ANALYTICS_RATE_LIMIT_MAX: env.nonNegativeInt(1_200).describe('Requests per client (tenant or admin when a key is presented, else IP address) per window on the query and admin routes; 0: off.'),
    ANALYTICS_RATE_LIMIT_WINDOW_SECONDS: env.positiveInt(60).describe('The window of ANALYTICS_RATE_LIMIT_MAX.'),
    ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: env.nonNegativeInt(1_000).describe('Answers 503 with Retry-After while the event loop lags more than this (ms); 0: off.'),
    ANALYTICS_HSTS: env.boolean(false).describe('Sends Strict-Transport-Security on every answer: set it when the API is served over HTTPS.'),
    ANALYTICS_REDIS_PREFIX: z.string().default('analytics:').describe('Prefix of every Redis key (tenants, dedup, rate limits, quotas, views, drift), so deployments can share one Redis.'),
    ANALYTICS_API_WORKERS: env
      .positiveInt(1)
      .describe('Processes serving ANALYTICS_PORT together (node:cluster: the collector and query API on every core). Above 1 it needs REDIS_URL (dedup, rate limits, quotas and tenants shared by every worker) and NATS_URL or KAFKA_BROKERS (the file log takes one writer); the in-process speed layer, archiver and batch schedule run in the first worker only.'),
    ANALYTICS_SPEED_IN_PROCESS: env.boolean(true).describe('Runs the speed layer in this process; `false` when `analytics/src/processes/speed.ts` runs apart.'),
    ANALYTICS_SPEED_THREADS: env
      .nonNegativeInt(0)
      .describe('Worker threads the in-process speed layer folds on (partition p on thread p % n; the views stay in the main thread, which applies each flush), so the collector keeps more of the main thread; 0: the fold runs on the main thread. Worth it with a core free for each thread; each thread adds start-up time and an isolate\'s memory.'),
    ANALYTICS_ARCHIVE_THREAD: env.boolean(false).describe('Runs the in-process archiver on a worker thread of its own; `false`: on the main thread.'),
    ANALYTICS_ARCHIVE_IN_PROCESS: env.boolean(true).describe('Runs the archiver (log to raw store) in this process; `false` when `analytics/src/processes/archiver.ts` runs apart.'),
    ARCHIVE_FLUSH_RECORDS: env.positiveInt(10_000).describe('The archiver writes a raw object after this many events of one partition.'),
    ARCHIVE_FLUSH_MS: env.positiveInt(1000).describe('The archiver writes a raw object at least this often while events arrive.'),
    ANALYTICS_BATCH_IN_PROCESS: env.boolean(true).describe('Runs the batch schedule and the erasure runner in this process. Exactly one process of a deployment should.'),
    ANALYTICS_BATCH_EVERY_MS: env.positiveInt(5 * 60_000).describe('How often the in-process batch schedule runs.'),
    ANALYTICS_BATCH_GRACE_MS: env.positiveInt(5 * 60_000).describe('A UTC day is closed (its batch views computed) this long after it ends; events for it that arrive later make the batch compute it again.'),
    ANALYTICS_RAW_WARM_DAYS: env
      .nonNegativeInt(62)
      .describe('Days before now (today included) of each tenant\'s raw events the query API loads once it is ready, off the request path, so a first question with filters on several dimensions does not (62: a 30-day range and the 30 days it is compared with); stops at half the rows a DuckDB connection holds; 0: off.'),
    ANALYTICS_MAX_EVENT_BYTES: env.positiveInt(32 * 1024).describe('Largest event accepted (Segment: 32 KB).'),
    ANALYTICS_MAX_BATCH_BYTES: env.positiveInt(500 * 1024).describe('Largest request accepted (Segment: 500 KB).'),
    ANALYTICS_MAX_EVENT_AGE_DAYS: env
      .positiveInt(DEFAULT_MAX_EVENT_AGE_DAYS)
      .describe('Oldest event the collector accepts, in days before its arrival, for tenants without their own maxEventAgeDays; older ones are rejected (EVENT_TOO_OLD).'),
    ANALYTICS_DEDUP_WINDOW_HOURS: env.positiveInt(24).refine((h) => h >= 24, { message: 'must be at least 24 (hours)' }).describe('A `messageId` seen within this many hours is dropped as a duplicate (at least 24).'),
    ANALYTICS_DEDUP_MAX_ENTRIES: env.positiveInt(1_000_000).describe('Most `messageId`s the in-process dedup store keeps (without Redis).'),
    ANALYTICS_DEFAULT_DAILY_QUOTA: env.positiveInt(1_000_000).describe('Events per day a new tenant may send.'),
    ANALYTICS_DEFAULT_RATE_LIMIT: env.positiveInt(1000).describe('Events per second a new tenant may send.'),
    ANALYTICS_KEY_CACHE_TTL_MS: env.positiveInt(5000).describe('How long a looked-up API key is cached; a revoked key works at most this much longer.'),
    ANALYTICS_DEMO_TENANT: z.string().optional().describe('With ANALYTICS_DEMO_WRITE_KEY and ANALYTICS_DEMO_READ_KEY (`npm start` sets all three): this tenant exists with exactly these keys.'),
    ANALYTICS_DEMO_WRITE_KEY: z.string().regex(/^wk_[\w-]{32,97}$/, { message: 'must be a write key (wk_...)' }).optional().describe('The demo tenant write key (`wk_...`).'),
    ANALYTICS_DEMO_READ_KEY: z.string().regex(/^rk_[\w-]{32,97}$/, { message: 'must be a read key (rk_...)' }).optional().describe('The demo tenant read key (`rk_...`).'),
    ANALYTICS_DEMO_TIME_ZONE: z.string().default('UTC').describe('Time zone of the demo tenant (IANA name).'),
    ANALYTICS_DEMO_HISTORY_DAYS: z.coerce.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0).max(90).default(0).describe('Days of made-up shop traffic a brand-new demo tenant gets, once per lake (`npm start` sets 14); 0: none.'),
    ANALYTICS_TRUSTED_PROXY_HOPS: env
      .nonNegativeInt(0)
      .describe('Proxies in front of the collector whose X-Forwarded-For entries are trusted for the visitor\'s IP (country, region, cookieless ids); 0: the TCP peer is the visitor and the header is ignored.'),
    ANALYTICS_GEO_CITY_DB: z
      .enum(['off', 'dbip'])
      .default('off')
      .describe('`dbip`: fill the region dimension from DB-IP City Lite (CC BY 4.0, shipped as an npm package, about 130 MB in memory); `off`: country only (CC0 geo-whois-asn-country).'),
    ANALYTICS_COOKIELESS: env.boolean(true).describe('Gives messages sent with `context.cookieless: true` and no ids (the tracking script\'s default) a visitor id hashed from a daily salt, the site, the IP and the user agent; the salt is dropped when its UTC day ends.'),
    ANALYTICS_CORS_ORIGINS: z
      .string()
      .default('*')
      .transform((value): string[] | '*' => (value.trim() === '*' ? '*' : value.split(',').map((o) => o.trim()).filter(Boolean))).describe('`*` or a comma-separated list of origins allowed to send from browsers.'),
  })
  .describe('analytics app');

export type AnalyticsConfig = z.output<typeof analyticsEnvSchema>;

export function loadAnalyticsConfig(source: NodeJS.ProcessEnv = process.env): AnalyticsConfig {
  const config = parseEnv(analyticsEnvSchema, source);
  try {
    checkObjectStoreConfig(config);
  } catch (error) {
    throw new ConfigError([(error as Error).message]);
  }
  const sharing = apiWorkersProblems(config);
  if (sharing.length) throw new ConfigError(sharing);
  return config;
}
