import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startTestApp, type TestApp } from './support/test-app.ts';

const ROUTES = ['/v1/batch', '/v1/track', '/v1/page', '/v1/screen', '/v1/identify', '/v1/group', '/v1/alias'];

let t: TestApp;
let key: string;
let readKey: string;
beforeAll(async () => {
  t = await startTestApp();
  key = await t.tenantWithKey({ id: 'fuzz' });
  readKey = await t.tenantWithKey({ id: 'fuzz' }, 'read');
});
afterAll(() => t.cleanup());

const nearlyValidEvent = fc.record(
  {
    type: fc.oneof(fc.constantFrom('track', 'page', 'screen', 'identify', 'group', 'alias'), fc.anything()),
    userId: fc.oneof(fc.string(), fc.integer(), fc.anything()),
    anonymousId: fc.anything(),
    event: fc.oneof(fc.string(), fc.anything()),
    messageId: fc.oneof(fc.string(), fc.anything()),
    timestamp: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string(), fc.anything()),
    sentAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.anything()),
    properties: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.anything()),
    context: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.anything()),
    groupId: fc.anything(),
    previousId: fc.anything(),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.jsonValue().map((v) => ({ payload: JSON.stringify(v), type: 'application/json' })),
  nearlyValidEvent.map((e) => ({ payload: JSON.stringify(e), type: 'application/json' })),
  fc.array(nearlyValidEvent, { maxLength: 5 }).map((batch) => ({ payload: JSON.stringify({ batch }), type: 'application/json' })),
  fc.anything().map((batch) => ({ payload: JSON.stringify({ batch }) ?? '', type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((s) => ({ payload: s, type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((s) => ({ payload: s, type: 'text/plain' })),
  fc.string().map((s) => ({ payload: s, type: fc.sample(fc.constantFrom('application/x-www-form-urlencoded', 'multipart/form-data', 'application/xml', 'image/png', ''), 1)[0]! })),
  fc.nat({ max: 600 * 1024 }).map((n) => ({ payload: JSON.stringify({ userId: 'u', event: 'x'.repeat(n) }), type: 'application/json' })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ payload: Buffer.from(bytes), type: 'application/json', encoding: 'gzip' })),
  nearlyValidEvent.map((e) => ({ payload: gzipSync(JSON.stringify({ batch: [e] })), type: 'application/json', encoding: 'gzip' })),
  fc.constantFrom('deflate', 'br', 'gzip, gzip', 'x'.repeat(300)).map((encoding) => ({ payload: '{}', type: 'application/json', encoding })),
);

const auth = fc.oneof(
  fc.constant(() => basic(key)),
  fc.constant(() => basic(readKey)),
  fc.constant(() => undefined),
  fc.string({ maxLength: 80 }).map((s) => () => s),
  fc.string({ maxLength: 80 }).map((s) => () => basic(s)),
  fc.string({ maxLength: 80 }).map((s) => () => `Basic ${s}`),
);

describe('collector under random and malformed input', () => {
  it('never answers 5xx and never crashes, on any route', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), body, auth, async (url, b, authorization) => {
        const headers: Record<string, string> = {};
        if (b.type) headers['content-type'] = b.type;
        if ('encoding' in b && b.encoding) headers['content-encoding'] = b.encoding;
        const a = authorization();
        if (a !== undefined) headers.authorization = a;
        const res = await t.app.server.inject({ method: 'POST', url, payload: b.payload, headers });
        expect(res.statusCode, `${url} ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(res.statusCode).toBeGreaterThanOrEqual(200);
      }),
      { numRuns: 300 },
    );
    expect((await t.app.server.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('accounts for every event: accepted + duplicates + rejected = sent, and the log grows by exactly accepted', async () => {
    const event = fc.oneof(
      fc.record({ type: fc.constant('track'), userId: fc.constant('u'), event: fc.constant('E'), messageId: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
      fc.record({ type: fc.constant('page'), anonymousId: fc.constant('x') }),
      fc.record({ type: fc.constantFrom('track', 'nope'), messageId: fc.constantFrom('a', 'z') }),
      fc.record({ type: fc.constant('track'), userId: fc.constant('u'), event: fc.constant('big'), properties: fc.constant({ blob: 'b'.repeat(40_000) }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.uuid(), async (batch, logFails, run) => {
        // Fresh messageIds per run, repeated within it, so duplicates occur inside and across requests.
        const events = batch.map((e) => ('messageId' in e ? { ...e, messageId: `${run}-${e.messageId}` } : e));
        const before = t.log.records().length;
        if (logFails) t.log.failNext(1);
        const res = await t.app.server.inject({ method: 'POST', url: '/v1/batch', payload: { batch: events }, headers: { authorization: basic(key) } });
        t.log.failNext(0);
        const body = res.json() as { accepted: number; duplicates: { index: number }[]; rejected: { index: number }[] };
        expect(body.accepted + body.duplicates.length + body.rejected.length).toBe(events.length);
        const indexes = [...body.duplicates, ...body.rejected].map((x) => x.index);
        expect(new Set(indexes).size).toBe(indexes.length);
        expect(t.log.records().length - before).toBe(body.accepted);
        if (res.statusCode === 503) expect(body.accepted).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a number JSON reads as Infinity, naming the field, and logs nothing', async () => {
    const before = t.log.records().length;
    for (const [url, payload, field] of <Array<[string, string, string]>>[
      ['/v1/track', '{"userId":"u","event":"Order Completed","properties":{"revenue":1e400}}', 'body.properties.revenue'],
      ['/v1/batch', '{"batch":[{"type":"track","userId":"u","event":"e","properties":{"n":-1e999}}]}', 'body.batch.0.properties.n'],
    ]) {
      const res = await t.app.server.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', authorization: basic(key) } });
      expect(res.statusCode, res.body.slice(0, 200)).toBe(400);
      expect(res.json().message).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: must be a number a double can hold`));
    }
    expect(t.log.records().length).toBe(before);
  });

  it('answers 4xx to pathologically deep JSON instead of overflowing the stack', async () => {
    // 5,000 levels: JSON.parse copes, JSON.stringify (and every log adapter) overflows.
    const depth = 5_000;
    const deep = `{"userId":"u","event":"e","properties":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    for (const url of ['/v1/track', '/v1/batch']) {
      const payload = url === '/v1/batch' ? `{"batch":[${deep}]}` : deep;
      const res = await t.app.server.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', authorization: basic(key) } });
      expect(res.statusCode, res.body.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
    }
    const deepContext = `{"context":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"batch":[{"type":"track","userId":"u","event":"e"}]}`;
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: deepContext,
      headers: { 'content-type': 'application/json', authorization: basic(key) },
    });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(400);
    expect(res.json().message).toMatch(/^body\.context(\.a)+: is nested deeper than/);
  });
});
