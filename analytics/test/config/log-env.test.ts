import { ConfigError } from '@shop/platform';
import { describe, expect, it } from 'vitest';
import { loadArchiveConfig } from '../../src/processes/archiver-config.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { loadSpeedConfig } from '../../src/processes/speed-config.ts';

const loaders = {
  app: (env: NodeJS.ProcessEnv) => loadAnalyticsConfig(env).ANALYTICS_LOG_RETENTION_HOURS,
  speed: (env: NodeJS.ProcessEnv) => loadSpeedConfig({ REDIS_URL: 'redis://127.0.0.1:6379', ...env }).ANALYTICS_LOG_RETENTION_HOURS,
  archive: (env: NodeJS.ProcessEnv) => loadArchiveConfig(env).ANALYTICS_LOG_RETENTION_HOURS,
};

describe.each(Object.entries(loaders))('ANALYTICS_LOG_RETENTION_HOURS in the %s config', (_, load) => {
  it('is absent (keep forever) unless set, and then a positive number of hours', () => {
    expect(load({})).toBeUndefined();
    expect(load({ ANALYTICS_LOG_RETENTION_HOURS: '' })).toBeUndefined();
    expect(load({ ANALYTICS_LOG_RETENTION_HOURS: '168' })).toBe(168);
  });

  it('refuses zero, fractions and words, naming the variable', () => {
    for (const value of ['0', '-5', '1.5', 'week']) {
      expect(() => load({ ANALYTICS_LOG_RETENTION_HOURS: value })).toThrow(ConfigError);
      expect(() => load({ ANALYTICS_LOG_RETENTION_HOURS: value })).toThrow(/ANALYTICS_LOG_RETENTION_HOURS must be a positive integer/);
    }
  });
});
