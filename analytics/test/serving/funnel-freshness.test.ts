import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../speed/until.ts';
import { basic, startTestApp, type TestApp } from '../collector/support/test-app.ts';

/**
 * Today's funnel is as fresh as the archiver's last flush (ARCHIVE_FLUSH_MS, 1 s by default):
 * events sent to the collector show up in `POST /v1/funnels` for today without a batch run, and
 * the answer's `freshness.through` (the last receipt read) reaches their receipt.
 */
const DAY = 86_400_000;
const STEPS = [
  { kind: 'page', path: '/' },
  { kind: 'event', event: 'Signed Up' },
];

let t: TestApp;
let writeKey: string;
let readKey: string;

beforeAll(async () => {
  t = await startTestApp({ start: 'real', env: { ANALYTICS_BATCH_IN_PROCESS: 'false' } });
  const tenant = `fresh-${Math.random().toString(36).slice(2, 8)}`;
  writeKey = await t.tenantWithKey({ id: tenant });
  readKey = await t.tenantWithKey({ id: tenant }, 'read');
}, 30_000);

afterAll(async () => {
  await t?.cleanup();
});

async function todaysFunnel() {
  const from = new Date(Math.floor(Date.now() / DAY) * DAY).toISOString();
  const res = await t.app.server.inject({ method: 'POST', url: '/v1/funnels', headers: { authorization: `Bearer ${readKey}` }, payload: { from, steps: STEPS } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { steps: Array<{ visitors: number }>; freshness: { source: string; through: string | null; files: number } };
}

async function send(visitor: string) {
  const sentAt = Date.now();
  const context = { page: { path: '/' } };
  const batch = [
    { type: 'page', messageId: `${visitor}-home`, anonymousId: visitor, timestamp: new Date(sentAt - 2_000).toISOString(), context },
    { type: 'track', event: 'Signed Up', messageId: `${visitor}-signup`, anonymousId: visitor, timestamp: new Date(sentAt - 1_000).toISOString(), context },
  ];
  const res = await t.app.server.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(writeKey) }, payload: { batch } });
  expect(res.json()).toMatchObject({ accepted: 2, rejected: [] });
  return sentAt;
}

describe("today's funnel, fresh from the raw store", () => {
  it('counts visitors sent to the collector within a flush or so, and says how far it reads', async () => {
    const before = await todaysFunnel();
    expect(before.steps.map((s) => s.visitors)).toEqual([0, 0]);
    expect(before.freshness).toEqual({ source: 'raw events', through: null, files: 0 });

    for (const [n, visitor] of ['first', 'second'].entries()) {
      const sentAt = await send(`fresh-${visitor}`);
      let answer = await todaysFunnel();
      // A deadline, not a performance bound: the archiver flushes every second.
      await until(`visitor ${visitor} in today's funnel`, async () => (answer = await todaysFunnel()).steps[1]!.visitors === n + 1, 30_000);
      expect(answer.steps.map((s) => s.visitors)).toEqual([n + 1, n + 1]);
      expect(answer.freshness.files).toBeGreaterThan(0);
      // The receipt the collector stamped is at or after the send began.
      expect(Date.parse(answer.freshness.through!)).toBeGreaterThanOrEqual(sentAt);
    }
  }, 90_000);
});
