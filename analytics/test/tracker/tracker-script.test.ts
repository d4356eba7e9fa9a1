import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrackingScript } from '../../src/tracker/index.ts';
import { startTestApp, type TestApp } from '../collector/support/test-app.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('GET /t.js', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.cleanup());

  it('is under 2 KB gzipped', () => {
    const { body } = loadTrackingScript();
    expect(gzipSync(body, { level: 9 }).length).toBeLessThan(2048);
  });

  it('is served to other sites: script type, cross-origin resource policy, cache with ETag, gzip when asked', async () => {
    const res = await t.app.server.inject({ method: 'GET', url: '/t.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.rawPayload.length).toBeLessThan(2048);
    const again = await t.app.server.inject({ method: 'GET', url: '/t.js', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const plain = await t.app.server.inject({ method: 'GET', url: '/t.js' });
    expect(plain.body).toContain('data-write-key');
  });
});

describe('cookieless visitors at the collector', () => {
  let t: TestApp;
  let writeKey: string;
  beforeAll(async () => {
    t = await startTestApp({ start: new Date('2026-03-10T12:00:00.000Z') });
    writeKey = await t.tenantWithKey({ id: 'cookieless' });
  });
  afterAll(async () => t.cleanup());

  const send = async (ip: string, ua: string, context: Record<string, unknown> = { cookieless: true }) => {
    const res = await t.app.server.inject({
      method: 'POST',
      url: '/v1/batch',
      remoteAddress: ip,
      headers: { 'user-agent': ua },
      payload: { writeKey, batch: [{ type: 'page', messageId: `m-${Math.random()}`, context }] },
    });
    return res.json() as { accepted: number; rejected: Array<{ reason: string }> };
  };
  const lastId = () => t.log.records().at(-1)!.value.anonymousId;

  it('gives the same visitor the same id all day, another id the next day, and keeps no IP', async () => {
    expect((await send('81.2.69.142', CHROME)).accepted).toBe(1);
    const morning = lastId();
    t.advance(6 * 3_600_000);
    await send('81.2.69.142', CHROME);
    expect(lastId()).toBe(morning);
    await send('81.2.69.143', CHROME);
    expect(lastId()).not.toBe(morning);
    await send('81.2.69.142', `${CHROME} Edg/131.0.0.0`);
    expect(lastId()).not.toBe(morning);
    t.advance(12 * 3_600_000);
    await send('81.2.69.142', CHROME);
    expect(lastId()).toMatch(/^cl_[\w-]{22}$/);
    expect(lastId()).not.toBe(morning);
    expect(JSON.stringify(t.log.records())).not.toContain('81.2.69.14');
    expect(t.log.records().at(-1)!.value.dimensions).toMatchObject({ country: 'GB', browser: 'Chrome' });
  });

  it('still requires an id from messages that do not ask for cookieless counting', async () => {
    const outcome = await send('81.2.69.142', CHROME, {});
    expect(outcome.accepted).toBe(0);
    expect(outcome.rejected[0]?.reason).toMatch(/userId or anonymousId is required/);
  });

  it('ignores X-Forwarded-For unless told to trust a proxy, and drops context.ip after locating with it', async () => {
    await t.app.server.inject({ method: 'POST', url: '/v1/batch', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '81.2.69.142' }, payload: { writeKey, batch: [{ type: 'track', event: 'X', anonymousId: 'a' }] } });
    expect(t.log.records().at(-1)!.value.dimensions?.country).toBeUndefined();
    await t.app.server.inject({ method: 'POST', url: '/v1/batch', remoteAddress: '127.0.0.1', payload: { writeKey, batch: [{ type: 'track', event: 'X', anonymousId: 'a', context: { ip: '212.27.48.10' } }] } });
    const last = t.log.records().at(-1)!.value;
    expect(last.dimensions?.country).toBe('FR');
    expect(last.context.ip).toBeUndefined();
  });
});
