import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, basic, startTestApp, type TestApp } from '../collector/support/test-app.ts';

let t: TestApp;
let readKey: string;
let writeKey: string;

beforeAll(async () => {
  t = await startTestApp({ env: { ANALYTICS_RATE_LIMIT_MAX: '4' } });
  readKey = await t.tenantWithKey({ id: 'guarded' }, 'read');
  writeKey = await t.tenantWithKey({ id: 'guarded-writer' }, 'write');
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

const inject = (options: InjectOptions) => t.app.server.inject(options);

describe('the analytics API guards', () => {
  it('sends the security headers on API answers', async () => {
    const api = await inject({ method: 'GET' as const, url: '/v1/query?metric=events', headers: { authorization: `Bearer ${readKey}` }, remoteAddress: '10.1.0.1' });
    expect(api.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['referrer-policy']).toBe('no-referrer');
  });

  it('limits query and admin routes per tenant or admin, and per address for anonymous callers', async () => {
    const query = (remoteAddress: string) =>
      inject({ method: 'GET' as const, url: '/v1/query?metric=events', headers: { authorization: `Bearer ${readKey}` }, remoteAddress }).then((r) => r.statusCode);
    const statuses: number[] = [];
    // One tenant from several addresses: one budget (the first test spent one of its four).
    for (const ip of ['10.2.0.1', '10.2.0.2', '10.2.0.3', '10.2.0.4']) statuses.push(await query(ip));
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
    const limited = await inject({ method: 'GET' as const, url: '/v1/query?metric=events', headers: { authorization: `Bearer ${readKey}` }, remoteAddress: '10.2.0.9' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The admin has its own budget.
    const admin = await inject({ method: 'GET' as const, url: '/admin/tenants', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, remoteAddress: '10.2.0.1' });
    expect(admin.statusCode).toBe(200);
  });

  it('leaves the collector to its per-tenant limits', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await inject({
        method: 'POST' as const,
        url: '/v1/track',
        headers: { authorization: basic(writeKey), 'content-type': 'application/json' },
        payload: { userId: 'u1', event: 'Guarded', messageId: `m-${i}` },
        remoteAddress: '10.3.0.1',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});
