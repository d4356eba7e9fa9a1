import { describe, expect, it } from 'vitest';
import { loadAnalyticsConfig } from './config.ts';
import { apiWorkerConfig, apiWorkersProblems } from './api-workers-config.ts';

const base = { DATA_DIR: '/tmp/analytics-workers-config' };

describe('ANALYTICS_API_WORKERS', () => {
  it('refuses several workers over in-process stores or the file log, naming what is missing', () => {
    expect(() => loadAnalyticsConfig({ ...base, ANALYTICS_API_WORKERS: '2' })).toThrow(/needs REDIS_URL[\s\S]*needs NATS_URL or KAFKA_BROKERS/);
    expect(() => loadAnalyticsConfig({ ...base, ANALYTICS_API_WORKERS: '2', REDIS_URL: 'redis://r:6379' })).toThrow(/needs NATS_URL or KAFKA_BROKERS/);
    expect(apiWorkersProblems(loadAnalyticsConfig({ ...base, ANALYTICS_API_WORKERS: '2', REDIS_URL: 'redis://r:6379', NATS_URL: 'nats://n:4222' }))).toEqual([]);
    expect(apiWorkersProblems(loadAnalyticsConfig({ ...base, ANALYTICS_API_WORKERS: '2', REDIS_URL: 'redis://r:6379', KAFKA_BROKERS: 'k:9092' }))).toEqual([]);
    expect(loadAnalyticsConfig(base).ANALYTICS_API_WORKERS).toBe(1);
  });

  it('runs the in-process consumers and the demo history in the first worker only', () => {
    const config = loadAnalyticsConfig({ ...base, ANALYTICS_API_WORKERS: '3', REDIS_URL: 'redis://r:6379', NATS_URL: 'nats://n:4222', ANALYTICS_DEMO_HISTORY_DAYS: '14' });
    expect(apiWorkerConfig(config, 0)).toBe(config);
    expect(apiWorkerConfig(config, 2)).toMatchObject({
      ANALYTICS_SPEED_IN_PROCESS: false,
      ANALYTICS_ARCHIVE_IN_PROCESS: false,
      ANALYTICS_BATCH_IN_PROCESS: false,
      ANALYTICS_DEMO_HISTORY_DAYS: 0,
      REDIS_URL: 'redis://r:6379',
    });
  });
});
