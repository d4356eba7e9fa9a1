import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createServer } from './create-server.ts';
import { createMetricsRegistry } from './metrics.ts';

const TOKEN = 'scrape-token-0123456789abcdef';

async function server(token: string | undefined) {
  const app = await createServer({
    logger: pino({ level: 'silent' }),
    title: 'test',
    description: 'test',
    metrics: createMetricsRegistry('metrics_access_test'),
    metricsAccess: { token, variable: 'TEST_METRICS_TOKEN' },
  });
  await app.ready();
  return app;
}

describe('/metrics access', () => {
  it('serves the Prometheus text format to a scrape with the bearer token', async () => {
    const app = await server(TOKEN);
    await app.inject({ method: 'GET', url: '/health' });
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('http_request_duration_seconds_bucket{');
  });

  it('refuses a scrape without the token, with a wrong one or another scheme, naming the variable', async () => {
    const app = await server(TOKEN);
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, 'Bearer wrong', `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`, TOKEN]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode, String(authorization)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(res.json().message).toContain('TEST_METRICS_TOKEN');
      expect(res.body).not.toContain('http_request_duration_seconds');
    }
  });

  it('stays closed when no token is configured', async () => {
    const app = await server(undefined);
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer anything-at-all-here' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'METRICS_CLOSED' });
    expect(res.json().message).toContain('set TEST_METRICS_TOKEN');
  });
});
