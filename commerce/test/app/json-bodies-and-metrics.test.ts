import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommerceApp } from '../../src/app.ts';
import { startTestCommerce } from '../support/commerce-app.ts';

const METRICS_TOKEN = 'commerce-metrics-token-0123456789';
let app: CommerceApp;
beforeAll(async () => {
  app = await startTestCommerce({ SEED_DEMO_DATA: 'false', COMMERCE_METRICS_TOKEN: METRICS_TOKEN });
}, 120_000);
afterAll(() => app?.close());

const register = (payload: string) =>
  app.server.inject({ method: 'POST', url: '/api/auth/register', payload, headers: { 'content-type': 'application/json' } });
const email = () => `json-${Math.random().toString(36).slice(2, 10)}@example.com`;

describe('commerce JSON bodies', () => {
  it('reads a body holding a constructor key as plain data, and pollutes nothing', async () => {
    const res = await register(JSON.stringify({ email: email(), password: 'correct horse battery', constructor: { prototype: { polluted: true } } }));
    expect(res.statusCode, res.body).toBe(202);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a __proto__ key with a 400 naming it, not "invalid JSON"', async () => {
    const res = await register(`{"email":"${email()}","password":"correct horse battery","__proto__":{"isAdmin":true}}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'FORBIDDEN_KEY' });
    expect(res.json().message).toContain('"__proto__" (in body)');
  });
});

describe('commerce /metrics', () => {
  it('answers a scrape with the bearer token and refuses one without it', async () => {
    const scrape = await app.server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scrape.statusCode).toBe(200);
    expect(scrape.body).toContain('http_request_duration_seconds_bucket{');
    const anonymous = await app.server.inject({ method: 'GET', url: '/metrics' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().message).toContain('COMMERCE_METRICS_TOKEN');
    expect(anonymous.body).not.toContain('http_request_duration_seconds');
  });
});
