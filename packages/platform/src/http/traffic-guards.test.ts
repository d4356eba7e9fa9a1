import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, redisEngines } from '../../testing/redis-engines.ts';
import { createRedisClient, isCluster } from '../redis/redis-client.ts';
import { createServer } from './create-server.ts';
import { createMetricsRegistry } from './metrics.ts';
import { leaseBatch } from './leased-rate-limit-store.ts';
import type { TrafficGuardOptions } from './traffic-guards.ts';

const redisList = await redisEngines();

/** Runs `work` with a client of `url` (one server or a cluster), closing it after. */
async function withRedis<T>(url: string, work: (client: ReturnType<typeof createRedisClient>) => Promise<T>): Promise<T> {
  const client = createRedisClient(url, { maxRetriesPerRequest: 1 });
  try {
    return await work(client);
  } finally {
    await client.quit().catch(() => client.disconnect());
  }
}

async function server(guards: Partial<Omit<TrafficGuardOptions, 'rateLimit'>> & { rateLimit?: Partial<TrafficGuardOptions['rateLimit']> } = {}) {
  const app = await createServer({
    logger: pino({ level: 'silent' }),
    title: 'test',
    description: 'test',
    metrics: createMetricsRegistry('test'),
    guards: {
      maxEventLoopDelayMs: guards.maxEventLoopDelayMs ?? 0,
      hsts: guards.hsts ?? false,
      rateLimit: { max: 3, windowSeconds: 60, prefix: `test:${randomUUID()}:`, ...guards.rateLimit },
    },
  });
  app.get('/things', { schema: { tags: ['things'], summary: 'things' } }, async () => ({ ok: true }));
  app.get('/collected', { schema: { tags: ['collector'], summary: 'collector' } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

describe('security headers', () => {
  it('sends a CSP forbidding framing, nosniff and no-referrer on every answer, JSON and 404 alike', async () => {
    const app = await server();
    for (const url of ['/things', '/nowhere']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    await app.close();
  });

  it('adds HSTS only when the site is served over HTTPS', async () => {
    const app = await server({ hsts: true });
    const res = await app.inject({ method: 'GET', url: '/things' });
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    await app.close();
  });

  it('serves the API viewer under its own policy (its own files only), not framed', async () => {
    const app = await server();
    const res = await app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    await app.close();
  });
});

describe('per-client rate limit', () => {
  it('answers 429 with Retry-After once a client spent its budget; liveness is never limited', async () => {
    const app = await server();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/things' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await app.inject({ method: 'GET', url: '/things' });
    expect(limited.json()).toMatchObject({ error: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await app.close();
  });

  it('counts signed-in callers per account and anonymous ones per address', async () => {
    const app = await server({
      rateLimit: { accountOf: async (request) => (typeof request.headers['x-account'] === 'string' ? request.headers['x-account'] : null) },
    });
    const get = (headers: Record<string, string>, remoteAddress = '10.0.0.1') =>
      app.inject({ method: 'GET', url: '/things', headers, remoteAddress }).then((r) => r.statusCode);
    for (let i = 0; i < 3; i++) expect(await get({ 'x-account': 'alice' })).toBe(200);
    expect(await get({ 'x-account': 'alice' }, '10.0.0.2')).toBe(429); // a new address does not refill Alice's budget
    expect(await get({ 'x-account': 'bob' })).toBe(200); // Bob has his own, from the same address
    expect(await get({})).toBe(200); // so has the anonymous caller at that address
    await app.close();
  });

  it('leaves routes out that the system limits otherwise, and documents 429 only where it applies', async () => {
    const app = await server({ rateLimit: { appliesTo: (route) => !route.tags.includes('collector') } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await app.inject({ method: 'GET', url: '/collected' })).statusCode);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.paths['/things'].get.responses['429']).toBeDefined();
    expect(spec.paths['/collected'].get.responses['429']).toBeUndefined();
    await app.close();
  });

  describe.each(redisList)('on real $name', (redis) => {
    const prefix = `test:rate:${randomUUID()}:`;
    afterAll(async () => {
      if (redis.available) await deleteRedisKeys(redis.url, `${prefix}*`);
    });

    it.skipIf(!redis.available)('shares one count between two instances', async () => {
      const options = { rateLimit: { max: 4, redisUrl: redis.url, prefix } };
      const [a, b] = await Promise.all([server(options), server(options)]);
      const statuses = [];
      for (const app of [a, b, a, b, a]) statuses.push((await app.inject({ method: 'GET', url: '/things' })).statusCode);
      // Each instance alone has seen at most three requests: only a shared count reaches the limit.
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect((await b.inject({ method: 'GET', url: '/things' })).statusCode).toBe(429);
      await Promise.all([a.close(), b.close()]);
    });

    it.skipIf(!redis.available)('keeps counting after the server forgot its scripts (SCRIPT FLUSH, as after a restart)', async () => {
      const app = await server({ rateLimit: { max: 4, redisUrl: redis.url, prefix: `${prefix}flush:` } });
      const get = () => app.inject({ method: 'GET', url: '/things' }).then((r) => r.statusCode);
      expect([await get(), await get()]).toEqual([200, 200]);
      await withRedis(redis.url, async (client) => {
        if (isCluster(client)) {
          await client.ping();
          await Promise.all(client.nodes('master').map((node) => node.script('FLUSH')));
        } else await client.script('FLUSH');
      });
      expect([await get(), await get(), await get()]).toEqual([200, 200, 429]);
      await app.close();
    });

    it.skipIf(!redis.available)('takes a batch of tokens per round trip for a large budget, and two instances together never pass it', async () => {
      const max = 256;
      const batch = leaseBatch(max);
      expect(batch).toBeGreaterThan(1);
      const options = { rateLimit: { max, redisUrl: redis.url, prefix: `${prefix}lease:` } };
      const [a, b] = await Promise.all([server(options), server(options)]);
      const key = `${prefix}lease:rate-limit:ip:127.0.0.1`;
      const counted = () => withRedis(redis.url, async (client) => Number(await client.get(key)));
      expect((await a.inject({ method: 'GET', url: '/things' })).statusCode).toBe(200);
      expect(await counted()).toBe(batch);
      for (let i = 1; i < batch; i++) expect((await a.inject({ method: 'GET', url: '/things' })).statusCode).toBe(200);
      expect(await counted()).toBe(batch); // spent from memory, no round trip
      let passed = batch;
      for (let i = 0; i < max + 20; i++) {
        const res = await (i % 2 ? a : b).inject({ method: 'GET', url: '/things' });
        if (res.statusCode === 200) passed++;
        else expect(res.statusCode).toBe(429);
      }
      expect(passed).toBe(max);
      await Promise.all([a.close(), b.close()]);
    });

    it.skipIf(!redis.available)('takes one lease for the requests of a client that arrive together', async () => {
      const max = 256;
      const batch = leaseBatch(max);
      const app = await server({ rateLimit: { max, redisUrl: redis.url, prefix: `${prefix}together:` } });
      const statuses = await Promise.all(Array.from({ length: 2 * batch }, () => app.inject({ method: 'GET', url: '/things' }).then((r) => r.statusCode)));
      expect(statuses.every((s) => s === 200)).toBe(true);
      const counted = await withRedis(redis.url, async (client) => Number(await client.get(`${prefix}together:rate-limit:ip:127.0.0.1`)));
      expect(counted).toBe(2 * batch);
      await app.close();
    });
  });
});

describe('load shedding', () => {
  it('answers 503 with Retry-After while the event loop lags, and recovers', async () => {
    const app = await server({ maxEventLoopDelayMs: 50, rateLimit: { max: 0 } });
    const block = (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        // a CPU-bound handler hogging the loop
      }
    };
    let shed: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let i = 0; i < 20 && !shed; i++) {
      block(400);
      await new Promise((r) => setTimeout(r, 50));
      const res = await app.inject({ method: 'GET', url: '/things' });
      if (res.statusCode === 503) shed = res;
      else expect(res.statusCode).toBe(200);
    }
    expect(shed?.json()).toMatchObject({ error: 'OVERLOADED' });
    expect(Number(shed?.headers['retry-after'])).toBeGreaterThan(0);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    let status = 503;
    for (let i = 0; i < 40 && status === 503; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await app.inject({ method: 'GET', url: '/things' })).statusCode;
    }
    expect(status).toBe(200);
    await app.close();
  }, 30_000);
});
