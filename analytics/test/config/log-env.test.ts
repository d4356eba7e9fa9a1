import { ConfigError } from '@shop/platform';
import { describe, expect, it } from 'vitest';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { loadArchiveConfig } from '../../src/processes/archiver-config.ts';
import { loadSpeedConfig } from '../../src/processes/speed-config.ts';

// Every process that opens the log reads its variables through one schema fragment (`logEnv`).
const loaders = {
  app: (env: NodeJS.ProcessEnv) => loadAnalyticsConfig(env),
  speed: (env: NodeJS.ProcessEnv) => loadSpeedConfig({ REDIS_URL: 'redis://127.0.0.1:6379', ...env }),
  archive: (env: NodeJS.ProcessEnv) => loadArchiveConfig(env),
};

describe.each(Object.entries(loaders))('the log variables in the %s config', (_, load) => {
  it('keep the log forever unless ANALYTICS_LOG_RETENTION_HOURS is set, and then take a positive number of hours', () => {
    expect(load({}).ANALYTICS_LOG_RETENTION_HOURS).toBeUndefined();
    expect(load({ ANALYTICS_LOG_RETENTION_HOURS: '' }).ANALYTICS_LOG_RETENTION_HOURS).toBeUndefined();
    expect(load({ ANALYTICS_LOG_RETENTION_HOURS: '168' }).ANALYTICS_LOG_RETENTION_HOURS).toBe(168);
  });

  it('refuse a retention of zero, fractions or words, naming the variable', () => {
    for (const value of ['0', '-5', '1.5', 'week']) {
      expect(() => load({ ANALYTICS_LOG_RETENTION_HOURS: value })).toThrow(ConfigError);
      expect(() => load({ ANALYTICS_LOG_RETENTION_HOURS: value })).toThrow(/ANALYTICS_LOG_RETENTION_HOURS must be a positive integer/);
    }
  });

  it('default the stream prefix and refuse one that cannot name a stream', () => {
    expect(load({}).ANALYTICS_NATS_STREAM_PREFIX).toBe('analytics');
    expect(load({ ANALYTICS_NATS_STREAM_PREFIX: 'shop_2' }).ANALYTICS_NATS_STREAM_PREFIX).toBe('shop_2');
    for (const value of ['a.b', 'has space', 'x'.repeat(33), 'a*']) {
      expect(() => load({ ANALYTICS_NATS_STREAM_PREFIX: value })).toThrow(/ANALYTICS_NATS_STREAM_PREFIX must be 1-32 letters, digits, _ or -/);
    }
  });

  it('split KAFKA_BROKERS into host:port pairs and refuse anything else', () => {
    expect(load({ KAFKA_BROKERS: 'a:9092, b.local:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b.local:9093']);
    expect(() => load({ KAFKA_BROKERS: 'no-port' })).toThrow(/KAFKA_BROKERS must be a comma-separated list of host:port/);
  });

  it('split a NATS_URL listing every node of a cluster, and take 1 to 5 JetStream replicas (unset: each stream keeps its own)', () => {
    expect(load({ NATS_URL: 'nats://a:4222, nats://b:4222' }).NATS_URL).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(() => load({ NATS_URL: 'nats://a:4222,http://b:4222' })).toThrow(/NATS_URL must be a nats:\/\/ URL or a comma-separated list of them/);
    expect(load({}).ANALYTICS_NATS_REPLICAS).toBeUndefined();
    expect(load({ ANALYTICS_NATS_REPLICAS: '3' }).ANALYTICS_NATS_REPLICAS).toBe(3);
    for (const value of ['0', '6', '2.5', 'three']) {
      expect(() => load({ ANALYTICS_NATS_REPLICAS: value })).toThrow(/ANALYTICS_NATS_REPLICAS must be an integer from 1 to 5/);
    }
  });

  it('refuse a NATS_URL that is not nats:// and a partition count that is not a positive integer', () => {
    expect(() => load({ NATS_URL: 'http://x:4222' })).toThrow(/NATS_URL/);
    expect(() => load({ ANALYTICS_LOG_PARTITIONS: '0' })).toThrow(/ANALYTICS_LOG_PARTITIONS/);
    expect(load({ ANALYTICS_LOG_PARTITIONS: '16' }).ANALYTICS_LOG_PARTITIONS).toBe(16);
  });
});
