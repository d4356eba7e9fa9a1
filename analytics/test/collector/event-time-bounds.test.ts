import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basic, startTestApp, type TestApp } from './support/test-app.ts';

const METRICS_TOKEN = 'event-age-metrics-token-0123';
let t: TestApp;
let key: string;
beforeEach(async () => {
  t = await startTestApp({ start: new Date('2026-03-10T12:00:00.000Z'), env: { ANALYTICS_METRICS_TOKEN: METRICS_TOKEN, ANALYTICS_MAX_EVENT_AGE_DAYS: '365' } });
  key = await t.tenantWithKey({ id: 'acme', timeZone: 'UTC' });
});
afterEach(() => t.cleanup());

const post = (payload: unknown, writeKey = key) =>
  t.app.server.inject({ method: 'POST', url: '/v1/batch', payload: payload as object, headers: { authorization: basic(writeKey) } });
const ev = (messageId: string, over: Record<string, unknown> = {}) => ({ type: 'track', userId: 'u1', event: 'Viewed', messageId, ...over });
const ids = () => t.log.records().map((r) => r.value.messageId);
const metrics = async () => (await t.app.server.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).body;

describe('event time bounds at the collector', () => {
  it('rejects events dated 1970 or year 100 with EVENT_TOO_OLD and a reason, keeps the rest of the batch, and counts them', async () => {
    const res = await post({
      batch: [
        ev('epoch', { timestamp: '1970-01-01T00:00:00.000Z' }),
        ev('ancient', { timestamp: '0100-01-01T00:00:00.000Z' }),
        ev('last-year', { timestamp: '2025-03-11T12:00:00.000Z' }),
      ],
    });
    expect(res.json()).toMatchObject({ accepted: 1 });
    expect(res.json().rejected).toEqual([
      { index: 0, messageId: 'epoch', code: 'EVENT_TOO_OLD', reason: expect.stringMatching(/1970-01-01T00:00:00.000Z .*more than 365 days/) },
      { index: 1, messageId: 'ancient', code: 'EVENT_TOO_OLD', reason: expect.stringMatching(/0100-01-01T00:00:00.000Z .*oldest accepted is 2025-03-10T12:00:00.000Z/) },
    ]);
    expect(ids()).toEqual(['last-year']);
    expect(await metrics()).toMatch(/analytics_events_rejected_total\{tenant="acme",reason="EVENT_TOO_OLD",service="analytics"\} 2/);
  });

  it('answers 400 naming the sentAt when a far-future sentAt would correct the time into the past', async () => {
    // sentAt 973 years ahead of the event: the skew correction would date it in 1053.
    const res = await post({ sentAt: '2999-03-10T12:00:00.000Z', batch: [ev('skewed', { timestamp: '2026-03-10T12:00:00.000Z' })] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'EVENT_TOO_OLD', accepted: 0 });
    expect(res.json().rejected[0].reason).toMatch(/^event 0 \(track\): its time 1053-.* \(corrected for the device clock by sentAt, from timestamp 2026-03-10T12:00:00.000Z and sentAt 2999-03-10T12:00:00.000Z\)/);
    expect(ids()).toEqual([]);
  });

  it('answers 400 with a reason for a sentAt or timestamp that is no date, never a 500', async () => {
    for (const over of [{ timestamp: '0000-00-00T00:00:00Z' }, { timestamp: '2026-03-10T12:00:00Z', sentAt: '99999-01-01T00:00:00Z' }, { sentAt: 'soon' }]) {
      const res = await post({ batch: [ev('bad', over)] });
      expect(res.statusCode).toBe(400);
      expect(res.json().rejected[0]).toMatchObject({ code: 'INVALID_EVENT', reason: expect.stringMatching(/(timestamp|sentAt): must be an ISO 8601 date-time/) });
    }
    expect(ids()).toEqual([]);
  });

  it("follows the tenant's own maximum age over the deployment default", async () => {
    const importer = await t.tenantWithKey({ id: 'importer', timeZone: 'UTC', maxEventAgeDays: 3650 });
    const old = ev('2019', { timestamp: '2019-06-01T00:00:00.000Z' });
    expect((await post({ batch: [old] }, importer)).json()).toMatchObject({ accepted: 1, rejected: [] });
    expect((await post({ batch: [old] })).json()).toMatchObject({ accepted: 0, rejected: [{ code: 'EVENT_TOO_OLD' }] });
  });
});
