import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basic, startTestApp, type TestApp } from './support/test-app.ts';

/** What Segment's libraries put on the wire, byte for byte where it matters: paths, content types, CORS. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.cleanup());
// One app for the file, a tenant per test: each test sees only its own events.
let tenant: string;
let key: string;
let tenants = 0;
beforeEach(async () => {
  tenant = `site-${++tenants}`;
  key = await t.tenantWithKey({ id: tenant });
});

const ORIGIN = 'https://shop.example';
const send = (url: string, payload: string | Buffer, headers: Record<string, string> = {}) => t.app.server.inject({ method: 'POST', url, payload, headers });
const values = () => t.log.records().filter((r) => r.value.tenantId === tenant).map((r) => r.value);
const track = (over: Record<string, unknown> = {}) => ({ type: 'track', userId: 'u1', event: 'Clicked', ...over });

describe('collector paths of every Segment library', () => {
  it("takes analytics.js's one-letter paths, text/plain bodies and the write key in the body", async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['/v1/t', { type: 'track', event: 'Signed Up', properties: { plan: 'pro' } }],
      ['/v1/p', { type: 'page', name: null, category: null, properties: { path: '/' } }],
      ['/v1/i', { type: 'identify', userId: 'u1', traits: { email: 'a@example.com' } }],
      ['/v1/g', { type: 'group', groupId: 'org-1' }],
      ['/v1/s', { type: 'screen', name: 'Home' }],
      ['/v1/a', { type: 'alias', userId: 'u2', previousId: 'u1' }],
    ];
    for (const [path, call] of calls) {
      // analytics.js's body for an anonymous visitor: userId null, its own anonymousId, and the key.
      const body = { userId: null, anonymousId: 'anon-1', messageId: `ajs-${path}`, writeKey: key, sentAt: new Date().toISOString(), ...call };
      const res = await send(path, JSON.stringify(body), { 'content-type': 'text/plain', authorization: basic(key), origin: ORIGIN });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    }
    expect(values().map((e) => [e.type, e.messageId])).toEqual(calls.map(([path, call]) => [call.type, `ajs-${path}`]));
    const page = values().find((e) => e.type === 'page');
    expect(page?.userId).toBeUndefined();
    expect(page?.anonymousId).toBe('anon-1');
    expect(page?.event).toBeUndefined();
  });

  it('takes a batch on /v1/b (analytics.js batching, Swift, Kotlin) and /v1/import (Java, Ruby, classic mobile)', async () => {
    for (const [path, id] of [['/v1/b', 'b1'], ['/v1/import', 'i1']] as const) {
      const res = await send(path, JSON.stringify({ writeKey: key, batch: [track({ messageId: id })], sentAt: new Date().toISOString() }), { 'content-type': 'text/plain' });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(values().map((e) => e.messageId)).toEqual(['b1', 'i1']);
  });

  it("answers analytics.js's own counters on /v1/m and stores nothing from them", async () => {
    const res = await send('/v1/m', JSON.stringify({ series: [{ type: 'Counter', metric: 'analytics_js.invoke', value: 1, tags: {} }] }), { 'content-type': 'text/plain', origin: ORIGIN });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(values()).toEqual([]);
  });
});

describe('collector bodies are JSON whatever the Content-Type says', () => {
  const batch = (id: string) => JSON.stringify({ batch: [track({ messageId: id })] });

  it('takes a gzip body sent as application/x-www-form-urlencoded (a Node SDK posting a Buffer through axios)', async () => {
    const res = await send('/v1/batch', gzipSync(batch('form-gz')), { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip', authorization: basic(key) });
    expect(res.statusCode, res.body).toBe(200);
    expect(values().map((e) => e.messageId)).toEqual(['form-gz']);
  });

  it('takes text/plain, octet-stream, no Content-Type, an empty one and a malformed one, gzip or not', async () => {
    const types = ['text/plain;charset=UTF-8', 'application/octet-stream', undefined, '', 'not a media type', 'application/json; charset=utf-8'];
    for (const [i, type] of types.entries()) {
      for (const gzip of [false, true]) {
        const id = `${i}-${gzip}`;
        const headers: Record<string, string> = { authorization: basic(key), ...(type !== undefined ? { 'content-type': type } : {}), ...(gzip ? { 'content-encoding': 'gzip' } : {}) };
        const res = await send('/v1/batch', gzip ? gzipSync(batch(id)) : Buffer.from(batch(id)), headers);
        expect(res.statusCode, `${String(type)} gzip=${gzip}: ${res.body}`).toBe(200);
      }
    }
    expect(values()).toHaveLength(types.length * 2);
  });

  it('still limits the inflated size (413 to a zip bomb under any content type) and says when a body is not JSON', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"batch":[{"type":"track","userId":"u","event":"'), Buffer.alloc(5 * 1024 * 1024, 97), Buffer.from('"}]}')]));
    const bombed = await send('/v1/batch', bomb, { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip', authorization: basic(key) });
    expect(bombed.statusCode).toBe(413);
    const form = await send('/v1/batch', 'userId=u1&event=Clicked', { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(key) });
    expect(form.statusCode).toBe(400);
    expect(form.json()).toMatchObject({ error: 'INVALID_JSON' });
    expect(form.json().message).toMatch(/^The body is not valid JSON: /);
    expect(values()).toEqual([]);
  });
});

describe('collector CORS, on every answer', () => {
  it('allows in a preflight the headers Segment libraries send, X-Retry-Count included, and any a site adds', async () => {
    const ask = (headers: string) =>
      t.app.server.inject({ method: 'OPTIONS', url: '/v1/t', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
    const retry = await ask('authorization,content-type,x-retry-count');
    expect(retry.statusCode).toBe(204);
    expect(retry.headers['access-control-allow-origin']).toBe('*');
    expect(String(retry.headers['access-control-allow-headers']).split(/\s*,\s*/)).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-retry-count']));
    const custom = await ask('authorization, x-site-tag');
    expect(String(custom.headers['access-control-allow-headers'])).toContain('x-site-tag');
    // A header list that is not one falls back to the known headers instead of being echoed.
    const junk = await ask('bad header\r\nset-cookie: x');
    expect(String(junk.headers['access-control-allow-headers'])).toContain('x-retry-count');
    expect(String(junk.headers['access-control-allow-headers'])).not.toContain('set-cookie');
  });

  it('carries the CORS headers on 4xx answers so the browser lets the library read them', async () => {
    const cases: [string, () => ReturnType<typeof send>][] = [
      ['404 unknown path', () => send('/v1/nowhere', JSON.stringify(track()), { origin: ORIGIN, authorization: basic(key) })],
      ['401 no key', () => send('/v1/t', JSON.stringify(track()), { origin: ORIGIN, 'content-type': 'text/plain' })],
      ['400 invalid event', () => send('/v1/t', JSON.stringify({ writeKey: key, type: 'track' }), { origin: ORIGIN, 'content-type': 'text/plain' })],
      ['400 not JSON', () => send('/v1/b', '{"batch":', { origin: ORIGIN, 'content-type': 'text/plain' })],
      ['413 too large', () => send('/v1/b', JSON.stringify({ writeKey: key, batch: [track({ pad: 'x'.repeat(600 * 1024) })] }), { origin: ORIGIN })],
      ['415 encoding', () => send('/v1/b', Buffer.from('{}'), { origin: ORIGIN, 'content-encoding': 'br' })],
    ];
    for (const [name, call] of cases) {
      const res = await call();
      expect(res.statusCode, name).toBe(Number(name.slice(0, 3)));
      expect(res.headers['access-control-allow-origin'], name).toBe('*');
      expect(res.headers['access-control-expose-headers'], name).toContain('retry-after');
    }
    const notFound = await cases[0]![1]();
    expect(notFound.json().message).toContain('/v1/t');
  });

  it('carries them on a 429 with Retry-After readable by the page', async () => {
    const slow = await t.tenantWithKey({ id: `${tenant}-slow`, rateLimitPerSecond: 1 });
    const body = JSON.stringify({ writeKey: slow, batch: Array.from({ length: 5 }, (_, i) => track({ messageId: `r${i}` })) });
    await send('/v1/b', body, { 'content-type': 'text/plain' });
    const limited = await send('/v1/b', JSON.stringify({ writeKey: slow, batch: [track({ messageId: 'late' })] }), { 'content-type': 'text/plain', origin: ORIGIN });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['access-control-allow-origin']).toBe('*');
    expect(limited.headers['access-control-expose-headers']).toContain('retry-after');
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });
});
