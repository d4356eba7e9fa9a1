import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@shop/platform';
import { createAnalyticsApp, type AnalyticsApp } from '../../src/app.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';

const DAY_MS = 86_400_000;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('share links: scoped, revocable, expiring dashboard keys over HTTP', () => {
  let dir: string;
  let app: AnalyticsApp;
  // The app's clock; a test moves it to make a key expire without waiting.
  let clock = Date.parse('2026-12-07T12:00:00Z');
  const keys: Record<'a' | 'b', { write: string; read: string }> = { a: { write: '', read: '' }, b: { write: '', read: '' } };

  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, key: string, payload?: object) =>
    app.server.inject({ method, url, headers: bearer(key), ...(payload ? { payload } : {}) });
  const share = async (key: string, body: object = { expiresAt: new Date(clock + DAY_MS).toISOString(), label: 'board meeting' }) => {
    const res = await inject('POST', '/v1/share-keys', key, body);
    return { res, body: res.json() as { key: { id: string; kind: string; expiresAt: string; scope: string; label?: string }; plainKey: string; path: string } };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'analytics-share-'));
    const config = loadAnalyticsConfig({ DATA_DIR: dir, ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0', ANALYTICS_LOG_PARTITIONS: '1', ANALYTICS_BATCH_IN_PROCESS: 'false' });
    app = await createAnalyticsApp(config, createLogger('share-test', 'silent'), { now: () => new Date(clock) });
    for (const id of ['a', 'b'] as const) {
      await app.tenants.createTenant({ id, name: id, timeZone: 'UTC' });
      const write = await app.tenants.createKey(id, 'write');
      const read = await app.tenants.createKey(id, 'read');
      if (!write.ok || !read.ok) throw new Error('setup failed');
      keys[id] = { write: write.value.plainKey, read: read.value.plainKey };
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a share key with a read key, lists it, and the key reads the dashboard routes of its own tenant', async () => {
    const { res, body } = await share(keys.a.read);
    expect(res.statusCode).toBe(201);
    expect(body.plainKey).toMatch(/^sk_[\w-]{32}$/);
    expect(body.path).toBe(`/dashboard#share=${body.plainKey}`);
    expect(body.key).toMatchObject({ kind: 'share', scope: 'dashboard', label: 'board meeting', expiresAt: new Date(clock + DAY_MS).toISOString() });
    expect(body.key).not.toHaveProperty('hash');

    const listed = await inject('GET', '/v1/share-keys', keys.a.read);
    expect((listed.json() as { keys: Array<{ id: string }> }).keys.map((k) => k.id)).toEqual([body.key.id]);
    // Tenant b sees none of a's share keys.
    expect((await inject('GET', '/v1/share-keys', keys.b.read)).json()).toEqual({ keys: [] });

    for (const url of ['/v1/query?metric=events&granularity=hour', '/v1/query.csv?metric=events&granularity=hour', '/v1/metrics', '/v1/dimensions', '/v1/reconciliation']) {
      expect((await inject('GET', url, body.plainKey)).statusCode, url).toBe(200);
    }
    expect((await inject('GET', '/v1/share-keys/self', body.plainKey)).json()).toEqual({ scope: 'dashboard', expiresAt: body.key.expiresAt, label: 'board meeting' });
  });

  it('refuses a share key outside the dashboard with 403 naming its scope: goals, funnels, share keys, the collector', async () => {
    const { body } = await share(keys.a.read);
    const goal = { name: 'Signup', kind: 'event', event: 'Signed Up' };
    const from = new Date(clock - DAY_MS).toISOString();
    const refused = [
      await inject('GET', '/v1/goals', body.plainKey),
      await inject('POST', '/v1/goals', body.plainKey, goal),
      await inject('POST', '/v1/funnels', body.plainKey, { from, steps: [{ kind: 'page', path: '/a' }, { kind: 'page', path: '/b' }] }),
      await inject('GET', `/v1/retention?from=${from}`, body.plainKey),
      await inject('GET', `/v1/goals/report?from=${from}`, body.plainKey),
      await inject('POST', '/v1/share-keys', body.plainKey, { expiresAt: new Date(clock + DAY_MS).toISOString() }),
      await inject('GET', '/v1/share-keys', body.plainKey),
    ];
    for (const res of refused) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().message).toContain('scope "dashboard"');
    }
    const collector = await app.server.inject({
      method: 'POST',
      url: '/v1/track',
      headers: { authorization: `Basic ${Buffer.from(`${body.plainKey}:`).toString('base64')}` },
      payload: { userId: 'u1', event: 'Clicked' },
    });
    expect(collector.statusCode).toBe(403);
    expect(collector.json().message).toContain('scope "dashboard"');
    // The admin API takes the admin token only.
    expect((await inject('GET', '/admin/tenants/a', body.plainKey)).statusCode).toBeGreaterThanOrEqual(401);
  });

  it('says a share key expired (401) once the clock passes its expiry, and the self route says so too', async () => {
    const { body } = await share(keys.a.read, { expiresAt: new Date(clock + 60_000).toISOString() });
    expect((await inject('GET', '/v1/metrics', body.plainKey)).statusCode).toBe(200);
    clock += 60_000;
    try {
      for (const url of ['/v1/metrics', '/v1/query?metric=events&granularity=hour', '/v1/share-keys/self']) {
        const res = await inject('GET', url, body.plainKey);
        expect(res.statusCode, url).toBe(401);
        expect(res.json().message).toMatch(/share key sk_.*expired at/);
      }
    } finally {
      clock -= 60_000;
    }
  });

  it('revokes a share key at once (401 "was revoked"), idempotently, and only its own tenant can', async () => {
    const { body } = await share(keys.a.read);
    expect((await inject('DELETE', `/v1/share-keys/${body.key.id}`, keys.b.read)).statusCode).toBe(404);
    expect((await inject('GET', '/v1/metrics', body.plainKey)).statusCode).toBe(200);
    const revoked = await inject('DELETE', `/v1/share-keys/${body.key.id}`, keys.a.read);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().key.revokedAt).toBe(new Date(clock).toISOString());
    expect((await inject('DELETE', `/v1/share-keys/${body.key.id}`, keys.a.read)).statusCode).toBe(200);
    const after = await inject('GET', '/v1/metrics', body.plainKey);
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toMatch(/was revoked/);
  });

  it('will not revoke the tenant read or write keys through the share route', async () => {
    const listed = await app.tenants.listKeys('a');
    if (!listed.ok) throw new Error('setup');
    const readKey = listed.value.find((k) => k.kind === 'read')!;
    expect((await inject('DELETE', `/v1/share-keys/${readKey.id}`, keys.a.read)).statusCode).toBe(404);
    expect((await inject('GET', '/v1/metrics', keys.a.read)).statusCode).toBe(200);
  });

  it('keeps a share key to its own tenant: it reads tenant a, and nothing names another tenant', async () => {
    const { body } = await share(keys.a.read);
    const mine = await inject('GET', '/v1/query?metric=events&granularity=hour', body.plainKey);
    const viaRead = await inject('GET', '/v1/query?metric=events&granularity=hour', keys.a.read);
    expect(mine.json().total).toEqual(viaRead.json().total);
    // A tenant query parameter is not part of the API: it is refused or ignored, never obeyed.
    const other = await inject('GET', '/v1/query?metric=events&granularity=hour&tenant=b', body.plainKey);
    expect([200, 400]).toContain(other.statusCode);
    if (other.statusCode === 200) expect(other.json().total).toEqual(viaRead.json().total);
    expect((await inject('DELETE', `/v1/share-keys/${body.key.id}`, keys.b.read)).json().error).toBe('TENANT.KEY_NOT_FOUND');
  });

  it('answers bad input with 400 naming the field, and needs a read key to create', async () => {
    const cases: Array<[object, string]> = [
      [{}, 'expiresAt'],
      [{ expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ expiresAt: new Date(clock - 1000).toISOString() }, 'expiresAt'],
      [{ expiresAt: new Date(clock + 91 * DAY_MS).toISOString() }, 'expiresAt'],
      [{ expiresAt: new Date(clock + DAY_MS).toISOString(), label: 'x'.repeat(101) }, 'label'],
    ];
    for (const [payload, field] of cases) {
      const res = await inject('POST', '/v1/share-keys', keys.a.read, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(JSON.stringify(res.json()), JSON.stringify(payload)).toContain(field);
    }
    expect((await share(keys.a.read, { expiresAt: new Date(clock + 90 * DAY_MS).toISOString() })).res.statusCode).toBe(201);
    expect((await app.server.inject({ method: 'POST', url: '/v1/share-keys', payload: { expiresAt: new Date(clock + DAY_MS).toISOString() } })).statusCode).toBe(401);
    expect((await share(keys.a.write)).res.statusCode).toBe(401);
  });
});
