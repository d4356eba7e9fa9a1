import { describe, expect, it } from 'vitest';
import { logConfigFromEnv } from './log-config.ts';

const base = { ANALYTICS_NATS_STREAM_PREFIX: 'analytics', ANALYTICS_LOG_PARTITIONS: 4, ANALYTICS_LOG_RETENTION_HOURS: 168, DATA_DIR: '/data' };

describe('logConfigFromEnv', () => {
  it('opens the embedded file log, written by the collector process only', () => {
    expect(logConfigFromEnv(base, 'writer')).toEqual({ kind: 'file', dir: '/data/analytics/events', partitions: 4, retentionHours: 168 });
    expect(logConfigFromEnv(base, 'reader')).toMatchObject({ kind: 'file', mode: 'reader' });
  });

  it('prefers NATS, then Kafka (brokers split from the variable), each with the retention', () => {
    expect(logConfigFromEnv({ ...base, NATS_URL: 'nats://n:4222', KAFKA_BROKERS: 'k:9092' }, 'reader')).toEqual({
      kind: 'nats',
      url: 'nats://n:4222',
      streamPrefix: 'analytics',
      partitions: 4,
      retentionHours: 168,
    });
    expect(logConfigFromEnv({ ...base, KAFKA_BROKERS: 'a:9092, b:9092' }, 'writer')).toEqual({ kind: 'kafka', brokers: ['a:9092', 'b:9092'], partitions: 4, retentionHours: 168 });
    expect(logConfigFromEnv({ ...base, KAFKA_BROKERS: ['a:9092'] }, 'writer')).toMatchObject({ brokers: ['a:9092'] });
  });
});
