import type { EventLogConfig } from './open-event-log.factory.ts';

/** The log variables every process that opens the log reads (the analytics app, processes/speed.ts, processes/archiver.ts, the CLIs). */
export interface LogEnv {
  /** One URL, comma-separated URLs, or already split: every node of a cluster. */
  NATS_URL?: string | readonly string[] | undefined;
  /** JetStream replicas of each stream; default 1. */
  ANALYTICS_NATS_REPLICAS?: number | undefined;
  /** Comma-separated, or already split. */
  KAFKA_BROKERS?: string | readonly string[] | undefined;
  ANALYTICS_NATS_STREAM_PREFIX: string;
  ANALYTICS_LOG_PARTITIONS: number;
  ANALYTICS_LOG_RETENTION_HOURS?: number | undefined;
  DATA_DIR: string;
}

/**
 * Which log a process opens: NATS_URL set, JetStream; else KAFKA_BROKERS, Kafka; else the embedded
 * file log in DATA_DIR, which only the collector process writes (`'writer'`); every other process
 * opens it as a `'reader'`. The retention goes to every kind: a file log reader applies none; a
 * process opening NATS streams with a retention sets their max_age (without one it leaves it),
 * so every process given one must be given the same.
 */
export function logConfigFromEnv(env: LogEnv, mode: 'writer' | 'reader'): EventLogConfig {
  const partitions = env.ANALYTICS_LOG_PARTITIONS;
  const retentionHours = env.ANALYTICS_LOG_RETENTION_HOURS;
  if (env.NATS_URL && env.NATS_URL.length > 0) {
    const url = typeof env.NATS_URL === 'string' ? env.NATS_URL : [...env.NATS_URL];
    return { kind: 'nats', url, streamPrefix: env.ANALYTICS_NATS_STREAM_PREFIX, partitions, retentionHours, replicas: env.ANALYTICS_NATS_REPLICAS };
  }
  if (env.KAFKA_BROKERS) {
    const brokers = typeof env.KAFKA_BROKERS === 'string' ? env.KAFKA_BROKERS.split(',').map((b) => b.trim()) : [...env.KAFKA_BROKERS];
    return { kind: 'kafka', brokers, partitions, retentionHours };
  }
  return { kind: 'file', dir: `${env.DATA_DIR}/analytics/events`, partitions, retentionHours, ...(mode === 'reader' ? { mode } : {}) };
}
