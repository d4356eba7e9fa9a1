import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tenantDay } from '../../src/calendar/tenant-day.ts';
import { basic, startTestApp, type TestApp } from './support/test-app.ts';

const METRICS_TOKEN = 'collector-metrics-token-0123';
let t: TestApp;
let key: string;
beforeEach(async () => {
  t = await startTestApp({ start: new Date('2026-03-10T12:00:00.000Z'), env: { ANALYTICS_METRICS_TOKEN: METRICS_TOKEN } });
  key = await t.tenantWithKey({ id: 'acme', timeZone: 'America/New_York', rateLimitPerSecond: 1000, dailyQuota: 1000 });
});
afterEach(() => t.cleanup());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  t.app.server.inject({ method: 'POST', url, payload: payload as object, headers: { authorization: basic(key), ...headers } });
const ev = (messageId: string, over: Record<string, unknown> = {}) => ({ type: 'track', userId: 'u1', event: 'Viewed', messageId, ...over });
const ids = () => t.log.records().map((r) => r.value.messageId);

describe('messageId deduplication', () => {
  it('appends a messageId once per tenant, across requests and within one batch', async () => {
    const keyB = await t.tenantWithKey({ id: 'beta' });
    expect((await post('/v1/batch', { batch: [ev('m1'), ev('m2'), ev('m1')] })).json()).toEqual({
      success: true,
      accepted: 2,
      duplicates: [{ index: 2, messageId: 'm1' }],
      rejected: [],
    });
    const again = await post('/v1/batch', { batch: [ev('m2'), ev('m3')] });
    expect(again.json()).toEqual({ success: true, accepted: 1, duplicates: [{ index: 0, messageId: 'm2' }], rejected: [] });
    // Another tenant's identical messageId is its own event.
    expect((await post('/v1/track', ev('m1'), { authorization: basic(keyB) })).json().accepted).toBe(1);
    expect(t.log.records().map((r) => `${r.key}/${r.value.messageId}`)).toEqual(['acme/m1', 'acme/m2', 'acme/m3', 'beta/m1']);
  });

  it('still deduplicates after 23 hours', async () => {
    await post('/v1/track', ev('late'));
    t.advance(23 * 3_600_000);
    expect((await post('/v1/track', ev('late'))).json().duplicates).toHaveLength(1);
    expect(ids()).toEqual(['late']);
  });

  it('answers 503 when the log fails, stores nothing, and accepts the retry (marks released)', async () => {
    t.log.failNext(1);
    const failed = await post('/v1/batch', { batch: [ev('r1'), ev('r2')] });
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toBe('1');
    expect(failed.json().rejected.map((r: { code: string }) => r.code)).toEqual(['LOG_UNAVAILABLE', 'LOG_UNAVAILABLE']);
    expect(ids()).toEqual([]);
    const retry = await post('/v1/batch', { batch: [ev('r1'), ev('r2')] });
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toMatchObject({ accepted: 2, duplicates: [] });
    expect(ids()).toEqual(['r1', 'r2']);
  });

  it('answers 503 IN_FLIGHT (not "duplicate") while another request is still appending the same messageId', async () => {
    let releaseAppend!: () => void;
    const gate = new Promise<void>((resolve) => (releaseAppend = resolve));
    const append = t.log.append.bind(t.log);
    let appending = false;
    t.log.append = async (records) => {
      appending = true;
      await gate;
      return append(records);
    };
    const first = post('/v1/track', ev('same'));
    // Wait until the first request holds its claim (its append is blocked on the gate).
    while (!appending) await new Promise((r) => setTimeout(r, 5));
    const second = await post('/v1/track', ev('same'));
    expect(second.statusCode).toBe(503);
    expect(second.json().rejected).toEqual([{ index: 0, messageId: 'same', code: 'IN_FLIGHT', reason: expect.any(String) }]);
    releaseAppend();
    expect((await first).statusCode).toBe(200);
    // Once the first is durable, the resend is a plain duplicate.
    expect((await post('/v1/track', ev('same'))).json()).toMatchObject({ success: true, accepted: 0, duplicates: [{ messageId: 'same' }] });
    expect(ids()).toEqual(['same']);
  });

  it('gives a quota back when the log fails', async () => {
    const tiny = await t.tenantWithKey({ id: 'tiny', dailyQuota: 2 });
    t.log.failNext(1);
    await post('/v1/batch', { batch: [ev('q1'), ev('q2')] }, { authorization: basic(tiny) });
    const retry = await post('/v1/batch', { batch: [ev('q1'), ev('q2')] }, { authorization: basic(tiny) });
    expect(retry.json()).toMatchObject({ success: true, accepted: 2 });
  });
});

describe('event time, fixed at ingestion', () => {
  it('corrects a skewed device clock with sentAt: timestamp = receivedAt - (sentAt - originalTimestamp)', async () => {
    // Device clock 1 h fast; the event waited 30 s on the device before being sent.
    await post('/v1/batch', { sentAt: '2026-03-10T13:00:00.000Z', batch: [ev('skew', { timestamp: '2026-03-10T12:59:30.000Z' })] });
    expect(t.log.records()[0]?.value).toMatchObject({
      timestamp: '2026-03-10T11:59:30.000Z',
      receivedAt: '2026-03-10T12:00:00.000Z',
      originalTimestamp: '2026-03-10T12:59:30.000Z',
      sentAt: '2026-03-10T13:00:00.000Z',
    });
  });

  it('keeps the client time without sentAt, caps future times at receivedAt, and uses receivedAt without either', async () => {
    await post('/v1/batch', {
      batch: [ev('past', { timestamp: '2026-03-09T08:00:00+02:00' }), ev('future', { timestamp: '2026-03-11T00:00:00.000Z' }), ev('none')],
    });
    // A per-event sentAt earlier than its timestamp would put it in the future: capped too.
    await post('/v1/track', ev('neg', { timestamp: '2026-03-10T11:00:00.000Z', sentAt: '2026-03-10T10:00:00.000Z' }));
    const byId = Object.fromEntries(t.log.records().map((r) => [r.value.messageId, r.value]));
    expect(byId.past).toMatchObject({ timestamp: '2026-03-09T06:00:00.000Z', originalTimestamp: '2026-03-09T06:00:00.000Z' });
    expect(byId.future).toMatchObject({ timestamp: '2026-03-10T12:00:00.000Z', originalTimestamp: '2026-03-11T00:00:00.000Z' });
    expect(byId.none).toMatchObject({ timestamp: '2026-03-10T12:00:00.000Z' });
    expect(byId.none?.originalTimestamp).toBeUndefined();
    expect(byId.neg?.timestamp).toBe('2026-03-10T12:00:00.000Z');
  });
});

describe('bots', () => {
  it('flags bots by context.userAgent or the request User-Agent, appends them and counts them apart', async () => {
    await post('/v1/batch', {
      batch: [
        ev('human', { context: { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15' } }),
        ev('google', { context: { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' } }),
      ],
    });
    await post('/v1/track', ev('headless'), { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0.0.0 Safari/537.36' });
    const flags = Object.fromEntries(t.log.records().map((r) => [r.value.messageId, r.value.isBot]));
    expect(flags).toEqual({ human: false, google: true, headless: true });
    const metrics = (await t.app.server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body;
    expect(metrics).toMatch(/analytics_events_bot_total\{tenant="acme",service="analytics"\} 2/);
    expect(metrics).toMatch(/analytics_events_accepted_total\{tenant="acme",service="analytics"\} 3/);
  });
});

describe('rate limit and quota', () => {
  it('answers 429 with Retry-After once the token bucket is empty, appends nothing of that request, and admits again later', async () => {
    const slow = await t.tenantWithKey({ id: 'slow', rateLimitPerSecond: 2 });
    const as = { authorization: basic(slow) };
    expect((await post('/v1/batch', { batch: [ev('a'), ev('b')] }, as)).statusCode).toBe(200);
    const limited = await post('/v1/batch', { batch: [ev('c'), ev('d')] }, as);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json()).toMatchObject({ success: false, error: 'RATE_LIMITED', accepted: 0 });
    expect(limited.json().rejected).toEqual([
      { index: 0, messageId: 'c', code: 'RATE_LIMITED', reason: expect.stringMatching(/2 events\/s/) },
      { index: 1, messageId: 'd', code: 'RATE_LIMITED', reason: expect.any(String) },
    ]);
    t.advance(1000);
    // The rejected ids were released, so the resend is accepted rather than called a duplicate.
    expect((await post('/v1/batch', { batch: [ev('c'), ev('d')] }, as)).json()).toMatchObject({ success: true, accepted: 2 });
    expect(t.log.records().filter((r) => r.key === 'slow').map((r) => r.value.messageId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('admits a batch bigger than the burst when the bucket is full, then holds the tenant to its rate', async () => {
    const slow = await t.tenantWithKey({ id: 'slow', rateLimitPerSecond: 2 });
    const as = { authorization: basic(slow) };
    expect((await post('/v1/batch', { batch: [ev('1'), ev('2'), ev('3'), ev('4'), ev('5'), ev('6')] }, as)).statusCode).toBe(200);
    const limited = await post('/v1/track', ev('7'), as);
    expect(limited.statusCode).toBe(429);
    // 4 tokens of debt plus the 1 needed, at 2/s.
    expect(limited.headers['retry-after']).toBe('3');
  });

  it("accepts events up to the daily quota, names the rest, and says when the tenant's day ends", async () => {
    const capped = await t.tenantWithKey({ id: 'capped', dailyQuota: 3, timeZone: 'Asia/Tokyo' });
    const as = { authorization: basic(capped) };
    const res = await post('/v1/batch', { batch: [ev('q1'), ev('q2'), ev('q3'), ev('q4'), ev('q5')] }, as);
    expect(res.statusCode).toBe(429);
    // 12:00 UTC is 21:00 in Tokyo: three hours left in the tenant's day.
    expect(res.headers['retry-after']).toBe(String(3 * 3600));
    expect(res.json()).toMatchObject({ error: 'QUOTA_EXCEEDED', accepted: 3 });
    expect(res.json().rejected.map((r: { messageId: string; code: string }) => `${r.messageId}:${r.code}`)).toEqual(['q4:QUOTA_EXCEEDED', 'q5:QUOTA_EXCEEDED']);
    // The next Tokyo day starts at 15:00 UTC.
    t.advance(3 * 3_600_000);
    const nextDay = await post('/v1/batch', { batch: [ev('q1'), ev('q2'), ev('q3'), ev('q4'), ev('q5')] }, as);
    expect(nextDay.json()).toMatchObject({ accepted: 2, duplicates: [{ messageId: 'q1' }, { messageId: 'q2' }, { messageId: 'q3' }] });
    const metrics = (await t.app.server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body;
    expect(metrics).toMatch(/analytics_events_rejected_total\{tenant="capped",reason="QUOTA_EXCEEDED",service="analytics"\} 2/);
  });

  it('computes the tenant day in its own time zone', () => {
    expect(tenantDay(new Date('2026-01-10T02:00:00Z'), 'America/New_York')).toEqual({ day: '2026-01-09', secondsLeft: 3 * 3600 });
    // After the US switch to summer time (8 March 2026) New York is UTC-4.
    expect(tenantDay(new Date('2026-03-10T02:00:00Z'), 'America/New_York')).toEqual({ day: '2026-03-09', secondsLeft: 2 * 3600 });
    expect(tenantDay(new Date('2026-03-10T23:30:00Z'), 'Europe/Paris')).toEqual({ day: '2026-03-11', secondsLeft: 23.5 * 3600 });
  });
});
