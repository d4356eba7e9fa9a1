import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basic, startTestApp, type TestApp } from './support/test-app.ts';

let t: TestApp;
let key: string;
beforeEach(async () => {
  t = await startTestApp();
  key = await t.tenantWithKey({ id: 'acme' });
});
afterEach(() => t.cleanup());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.server.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: basic(key), ...headers } });
const track = (over: Record<string, unknown> = {}) => ({ userId: 'u1', event: 'Order Completed', properties: { total: 10 }, ...over });
const values = () => t.log.records().map((r) => r.value);

describe('collector: Segment routes and the canonical event', () => {
  it('turns a track call into exactly the canonical AnalyticsEvent, keyed by tenant, located by context.ip and without it', async () => {
    const res = await post('/v1/track', track({ messageId: 'm-1', context: { ip: '81.2.69.142' }, integrations: { All: true } }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, accepted: 1, duplicates: [], rejected: [] });
    expect(t.log.records()).toEqual([
      {
        key: 'acme',
        value: {
          tenantId: 'acme',
          messageId: 'm-1',
          type: 'track',
          event: 'Order Completed',
          userId: 'u1',
          timestamp: '2026-03-10T12:00:00.000Z',
          receivedAt: '2026-03-10T12:00:00.000Z',
          properties: { total: 10 },
          context: {},
          isBot: false,
          dimensions: { country: 'GB' },
        },
      },
    ]);
  });

  it('accepts every Segment call type on its route and in a batch', async () => {
    const calls = {
      page: { anonymousId: 'a1', name: 'Home', properties: { path: '/' } },
      screen: { userId: 'u1', name: 'Cart' },
      identify: { userId: 'u1', traits: { plan: 'pro' } },
      group: { userId: 'u1', groupId: 'g1', traits: { size: 3 } },
      alias: { userId: 'u1', previousId: 'a1' },
      track: track(),
    };
    for (const [type, body] of Object.entries(calls)) expect((await post(`/v1/${type}`, body)).statusCode, type).toBe(200);
    const res = await post('/v1/batch', { batch: Object.entries(calls).map(([type, body]) => ({ type, ...body })) });
    expect(res.json()).toMatchObject({ success: true, accepted: 6 });
    const logged = values();
    expect(logged.map((e) => e.type)).toEqual(['page', 'screen', 'identify', 'group', 'alias', 'track', 'page', 'screen', 'identify', 'group', 'alias', 'track']);
    expect(logged[0]).toMatchObject({ event: 'Home', anonymousId: 'a1', properties: { path: '/' } });
    expect(logged[3]).toMatchObject({ groupId: 'g1', traits: { size: 3 } });
    expect(logged[4]).toMatchObject({ userId: 'u1', previousId: 'a1' });
  });

  it('merges the batch context under each event context and uses the batch sentAt', async () => {
    await post('/v1/batch', {
      sentAt: '2026-03-10T12:00:10.000Z',
      context: { library: { name: 'x' }, locale: 'fr' },
      batch: [{ type: 'track', ...track({ timestamp: '2026-03-10T12:00:05.000Z', context: { locale: 'de' } }) }],
    });
    expect(values()[0]).toMatchObject({ context: { library: { name: 'x' }, locale: 'de' }, timestamp: '2026-03-10T11:59:55.000Z' });
  });
});

describe('collector: write keys and tenants', () => {
  it('answers 401 without a key, with an unknown key, a malformed header, a read key or a revoked key', async () => {
    const readKey = await t.tenantWithKey({ id: 'acme' }, 'read');
    const noKey = await t.app.server.inject({ method: 'POST', url: '/v1/track', payload: track() });
    expect(noKey.statusCode).toBe(401);
    expect(noKey.json().message).toMatch(/write key/);
    expect((await post('/v1/track', track(), { authorization: basic('wk_doesnotexist') })).statusCode).toBe(401);
    expect((await post('/v1/track', track(), { authorization: 'Bearer abc' })).statusCode).toBe(401);
    const withRead = await post('/v1/track', track(), { authorization: basic(readKey) });
    expect(withRead.statusCode).toBe(401);
    expect(withRead.json().error).toBe('TENANT.KEY_WRONG_KIND');

    const keys = await t.app.tenants.listKeys('acme');
    const writeKeyId = keys.ok ? keys.value.find((k) => k.kind === 'write')?.id : undefined;
    expect((await post('/v1/track', track())).statusCode).toBe(200);
    await t.app.tenants.revokeKey('acme', writeKeyId!);
    const revoked = await post('/v1/track', track());
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error).toBe('TENANT.KEY_REVOKED');
    expect(t.log.records()).toHaveLength(1);
  });

  it('takes the write key from the body when there is no Authorization header', async () => {
    const res = await t.app.server.inject({ method: 'POST', url: '/v1/batch', payload: { writeKey: key, batch: [{ type: 'track', ...track() }] } });
    expect(res.statusCode).toBe(200);
    expect(values()[0]?.tenantId).toBe('acme');
  });

  it("never writes tenant A's key into tenant B, whatever the body claims", async () => {
    const keyB = await t.tenantWithKey({ id: 'beta' });
    await post('/v1/track', track({ tenantId: 'beta', messageId: 'x' }));
    // Header wins over a body writeKey of another tenant.
    await post('/v1/batch', { writeKey: keyB, batch: [{ type: 'track', ...track({ messageId: 'y' }) }] });
    await post('/v1/track', track({ messageId: 'z' }), { authorization: basic(keyB) });
    expect(t.log.records().map((r) => [r.key, r.value.tenantId, r.value.messageId])).toEqual([
      ['acme', 'acme', 'x'],
      ['acme', 'acme', 'y'],
      ['beta', 'beta', 'z'],
    ]);
  });
});

describe('collector: validation and limits', () => {
  it('answers 400 naming the missing field of a single event', async () => {
    const res = await post('/v1/track', { userId: 'u1' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/event/);
    const nobody = await post('/v1/identify', { traits: {} });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().message).toMatch(/userId or anonymousId/);
    const badTime = await post('/v1/track', track({ timestamp: 'yesterday' }));
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().message).toMatch(/timestamp/);
    expect(t.log.records()).toHaveLength(0);
  });

  it('rejects bad events of a batch by index and accepts the rest', async () => {
    const res = await post('/v1/batch', {
      batch: [
        { type: 'track', ...track({ messageId: 'ok-1' }) },
        { type: 'track', userId: 'u1', messageId: 'bad-1' },
        { type: 'launch', userId: 'u1' },
        { type: 'page', anonymousId: 'a', messageId: 'ok-2' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: false, accepted: 2 });
    expect(body.rejected).toEqual([
      { index: 1, messageId: 'bad-1', code: 'INVALID_EVENT', reason: expect.stringMatching(/event 1 \(track\): event/) },
      { index: 2, code: 'INVALID_EVENT', reason: expect.stringMatching(/type must be one of/) },
    ]);
    expect(values().map((e) => e.messageId)).toEqual(['ok-1', 'ok-2']);
  });

  it('answers 400 when no event of a batch is usable, and for an empty batch', async () => {
    const res = await post('/v1/batch', { batch: [{ type: 'track' }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'INVALID_EVENT', rejected: [{ index: 0, code: 'INVALID_EVENT' }] });
    const empty = await post('/v1/batch', { batch: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/at least one event/);
  });

  it('refuses an event over 32 KB with a 400 naming it, alone or inside a batch', async () => {
    const big = track({ messageId: 'big', properties: { blob: 'x'.repeat(33 * 1024) } });
    const single = await post('/v1/track', big);
    expect(single.statusCode).toBe(400);
    expect(single.json()).toMatchObject({ error: 'EVENT_TOO_LARGE', rejected: [{ index: 0, messageId: 'big', code: 'EVENT_TOO_LARGE' }] });
    const batch = await post('/v1/batch', { batch: [{ type: 'track', ...track({ messageId: 'small' }) }, { type: 'track', ...big }] });
    expect(batch.statusCode).toBe(200);
    expect(batch.json().rejected).toEqual([{ index: 1, messageId: 'big', code: 'EVENT_TOO_LARGE', reason: expect.stringMatching(/event 1 is \d+ bytes; the limit is 32768/) }]);
    expect(values().map((e) => e.messageId)).toEqual(['small']);
  });

  it('answers 413 for a request over 500 KB', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({ type: 'track', ...track({ messageId: `m${i}`, properties: { blob: 'y'.repeat(30 * 1024) } }) }));
    const res = await post('/v1/batch', { batch });
    expect(res.statusCode).toBe(413);
    expect(t.log.records()).toHaveLength(0);
  });
});

describe('collector: gzip bodies', () => {
  const gz = (body: unknown) => gzipSync(Buffer.from(JSON.stringify(body)));
  const raw = (payload: Buffer, headers: Record<string, string>) =>
    t.app.server.inject({ method: 'POST', url: '/v1/batch', payload, headers: { authorization: basic(key), 'content-type': 'application/json', ...headers } });

  it('accepts a gzip body', async () => {
    const res = await raw(gz({ batch: [{ type: 'track', ...track({ messageId: 'g1' }) }] }), { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(200);
    expect(values().map((e) => e.messageId)).toEqual(['g1']);
  });

  it('answers 413 to a zip bomb (small on the wire, huge inflated) and 400 to broken gzip', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"batch":[{"type":"track","userId":"u","event":"'), Buffer.alloc(5 * 1024 * 1024, 97), Buffer.from('"}]}')]));
    expect(bomb.length).toBeLessThan(20 * 1024);
    const res = await raw(bomb, { 'content-encoding': 'gzip' });
    expect(res.statusCode).toBe(413);
    const broken = await raw(Buffer.from('definitely not gzip'), { 'content-encoding': 'gzip' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe('BAD_GZIP');
    const truncated = await raw(gz({ batch: [{ type: 'track', ...track() }] }).subarray(0, 30), { 'content-encoding': 'gzip' });
    expect(truncated.statusCode).toBe(400);
    const brotli = await raw(Buffer.from('{}'), { 'content-encoding': 'br' });
    expect(brotli.statusCode).toBe(415);
    expect(t.log.records()).toHaveLength(0);
  });
});

describe('collector: browsers', () => {
  it('answers a CORS preflight and adds CORS headers to answers', async () => {
    const preflight = await t.app.server.inject({
      method: 'OPTIONS',
      url: '/v1/batch',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/authorization/);
    const res = await post('/v1/track', track(), { origin: 'https://shop.example' });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const denied = await post('/v1/track', {}, { origin: 'https://shop.example' });
    expect(denied.headers['access-control-allow-origin']).toBe('*');
  });

  it('reads a text/plain JSON body (navigator.sendBeacon)', async () => {
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: JSON.stringify({ writeKey: key, batch: [{ type: 'page', anonymousId: 'a1' }] }),
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
    expect(res.statusCode).toBe(200);
    expect(values()).toHaveLength(1);
  });
});

describe('collector: CORS allow-list', () => {
  it('only answers listed origins', async () => {
    const listed = await startTestApp({ env: { ANALYTICS_CORS_ORIGINS: 'https://a.example, https://b.example' } });
    try {
      const ok = await listed.app.server.inject({ method: 'OPTIONS', url: '/v1/track', headers: { origin: 'https://b.example' } });
      expect(ok.headers['access-control-allow-origin']).toBe('https://b.example');
      const other = await listed.app.server.inject({ method: 'OPTIONS', url: '/v1/track', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await listed.cleanup();
    }
  });
});
