import type { AddressInfo } from 'node:net';
import { createAnalyticsClient } from '@shop/sdk/analytics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../collector/support/test-app.ts';
import { until } from '../speed/until.ts';

let t: TestApp;
let baseUrl: string;

beforeAll(async () => {
  t = await startTestApp({ start: 'real' });
  await t.app.server.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.server.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

describe('the typed analytics SDK against the running app', () => {
  it('makes a tenant and its keys, sends events and reads them back, each answer as the OpenAPI document types it', async () => {
    const admin = createAnalyticsClient({ baseUrl, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const tenant = await admin.POST('/admin/tenants', { body: { id: 'sdk-shop', name: 'SDK shop', timeZone: 'Europe/Paris' } });
    expect(tenant.response.status, JSON.stringify(tenant.error)).toBe(201);
    const keyOf = async (kind: 'write' | 'read') => {
      const { data, error } = await admin.POST('/admin/tenants/{id}/keys', { params: { path: { id: 'sdk-shop' } }, body: { kind } });
      if (!data) throw new Error(`no ${kind} key: ${JSON.stringify(error)}`);
      return data.plainKey;
    };
    const writeKey = await keyOf('write');
    const readKey = await keyOf('read');

    const writer = createAnalyticsClient({ baseUrl, headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` } });
    const sent = await writer.POST('/v1/batch', {
      body: {
        batch: [
          { type: 'page', messageId: 's1', userId: 'u1', properties: { path: '/a' }, context: { page: { path: '/a' } } },
          { type: 'page', messageId: 's2', userId: 'u2', properties: { path: '/a' }, context: { page: { path: '/a' } } },
          { type: 'track', messageId: 's3', userId: 'u1', event: 'Signed Up' },
        ],
      },
    });
    expect(sent.response.status, JSON.stringify(sent.error)).toBe(200);

    const reader = createAnalyticsClient({ baseUrl, headers: { authorization: `Bearer ${readKey}` } });
    const events = () => reader.GET('/v1/query', { params: { query: { metric: 'events', granularity: 'hour' } } });
    await until('the speed layer to count the 3 events', async () => (await events()).data?.total.value === 3);
    const pageviews = await reader.GET('/v1/query', { params: { query: { metric: 'pageviews', granularity: 'hour', filter: ['context.page.path:/a'] } } });
    expect(pageviews.data?.total.value).toBe(2);
    expect(pageviews.data?.timeZone).toBe('Europe/Paris');
    const catalogue = await reader.GET('/v1/metrics');
    expect(catalogue.data?.metrics.map((m) => m.name)).toContain('pageviews');
  });

  it('gives the API refusals as typed errors, with the status and the message', async () => {
    const stranger = createAnalyticsClient({ baseUrl, headers: { authorization: 'Bearer rk_unknown' } });
    const refused = await stranger.GET('/v1/query', { params: { query: { metric: 'events' } } });
    expect(refused.response.status).toBe(401);
    expect(refused.data).toBeUndefined();
    expect(refused.error).toMatchObject({ error: expect.any(String), message: expect.any(String) });

    const admin = createAnalyticsClient({ baseUrl, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const bad = await admin.POST('/admin/tenants', { body: { id: 'Not A Slug', name: 'x', timeZone: 'Nowhere/Else' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error?.message).toEqual(expect.any(String));
  });
});
