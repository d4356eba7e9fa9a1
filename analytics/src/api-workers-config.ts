/** The settings that decide whether workers can share what one request sets and the next reads. */
interface SharedEngines {
  ANALYTICS_API_WORKERS: number;
  REDIS_URL?: string | undefined;
  NATS_URL?: string | readonly string[] | undefined;
  KAFKA_BROKERS?: string | readonly string[] | undefined;
}

/** The in-process roles and the one-off seeding that only one worker may run. */
interface SingletonRoles {
  ANALYTICS_SPEED_IN_PROCESS: boolean;
  ANALYTICS_ARCHIVE_IN_PROCESS: boolean;
  ANALYTICS_BATCH_IN_PROCESS: boolean;
  ANALYTICS_DEMO_HISTORY_DAYS: number;
}

/**
 * Why the analytics app cannot run as ANALYTICS_API_WORKERS processes with this configuration.
 * Every worker takes any request, so what one request sets and the next reads must live outside
 * the process: with in-process stores a messageId would be remembered by one worker only (a
 * retry landing on another is stored twice), each worker would grant the tenant its whole rate
 * and daily quota, and tenants created through one worker would not exist in the others. The
 * file log has a single writer (a lock file), so the log must be a broker.
 */
export function apiWorkersProblems(config: SharedEngines): string[] {
  if (config.ANALYTICS_API_WORKERS <= 1) return [];
  const problems: string[] = [];
  if (!config.REDIS_URL) {
    problems.push('ANALYTICS_API_WORKERS above 1 needs REDIS_URL: dedup marks, rate limits, quotas and tenants must be shared by every worker');
  }
  if (!(config.NATS_URL && config.NATS_URL.length > 0) && !config.KAFKA_BROKERS) {
    problems.push('ANALYTICS_API_WORKERS above 1 needs NATS_URL or KAFKA_BROKERS: the file log takes one writer');
  }
  return problems;
}

/**
 * The configuration of worker `index` of several: only the first runs the in-process consumers
 * (two speed layers over the same partitions would fold every event twice) and seeds the demo
 * history (once per lake); the others serve HTTP only.
 */
export function apiWorkerConfig<C extends SingletonRoles>(config: C, index: number): C {
  if (index === 0) return config;
  return { ...config, ANALYTICS_SPEED_IN_PROCESS: false, ANALYTICS_ARCHIVE_IN_PROCESS: false, ANALYTICS_BATCH_IN_PROCESS: false, ANALYTICS_DEMO_HISTORY_DAYS: 0 };
}
