import { describe, expect, it } from 'vitest';
import { parseEnv, env } from '../config/parse-env.ts';
import { z } from 'zod';
import { parseRedisTarget } from './redis-client.ts';

describe('Redis URLs', () => {
  it('reads one server, and a cluster as its seed nodes', () => {
    expect(parseRedisTarget('redis://127.0.0.1:6379/2')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379/2' });
    expect(parseRedisTarget('redis+cluster://10.0.0.1:7000,10.0.0.2:7001/')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      tls: false,
    });
    expect(parseRedisTarget('rediss+cluster://:s%40cret@cache-a:6380,[::1]:6381')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'cache-a', port: 6380 },
        { host: '::1', port: 6381 },
      ],
      password: 's@cret',
      tls: true,
    });
  });

  it('refuses what is neither, and config parsing names the variable', () => {
    for (const bad of ['http://x:1', 'redis+cluster://', 'redis+cluster://a:1,b', 'redis+cluster://a:99999', 'not a url']) {
      expect(parseRedisTarget(bad), bad).toBeNull();
    }
    expect(() => parseEnv(z.object({ REDIS_URL: env.redisUrl() }), { REDIS_URL: 'redis+cluster://a:1,b' })).toThrow(/REDIS_URL.*redis\+cluster/);
  });
});
