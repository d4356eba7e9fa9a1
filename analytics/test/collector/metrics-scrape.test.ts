import { afterEach, describe, expect, it } from 'vitest';
import { basic, startTestApp, type TestApp } from './support/test-app.ts';

/** The collector's series are labelled by tenant: /metrics shows them to Prometheus only. */
const TOKEN = 'analytics-metrics-token-0123456789';
let t: TestApp | undefined;
afterEach(() => t?.cleanup());

async function appWithTraffic(env: Record<string, string>) {
  t = await startTestApp({ env });
  const key = await t.tenantWithKey({ id: 'secret-customer' });
  const res = await t.app.server.inject({ method: 'POST', url: '/v1/track', payload: { userId: 'u', event: 'E' }, headers: { authorization: basic(key) } });
  expect(res.statusCode).toBe(200);
  return t;
}

describe('analytics /metrics', () => {
  it('gives Prometheus (bearer ANALYTICS_METRICS_TOKEN) the per-tenant series', async () => {
    const app = await appWithTraffic({ ANALYTICS_METRICS_TOKEN: TOKEN });
    const res = await app.app.server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('analytics_events_accepted_total{tenant="secret-customer",service="analytics"} 1');
  });

  it('refuses anyone else without naming a tenant, and stays closed when no token is configured', async () => {
    const app = await appWithTraffic({ ANALYTICS_METRICS_TOKEN: TOKEN });
    for (const headers of [{}, { authorization: 'Bearer not-the-token-at-all' }, { origin: 'https://evil.example' }]) {
      const res = await app.app.server.inject({ method: 'GET', url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.body).not.toContain('secret-customer');
      expect(res.json().message).toContain('ANALYTICS_METRICS_TOKEN');
    }
    await app.cleanup();
    const closed = await appWithTraffic({});
    const res = await closed.app.server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('secret-customer');
  });
});
