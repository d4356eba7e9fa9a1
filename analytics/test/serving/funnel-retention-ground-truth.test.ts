import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { startTestApp, type TestApp } from '../collector/support/test-app.ts';
import { collectIntoRawStore, madeUpVisits, type TrueEvent } from './collected-traffic.fixture.ts';

/**
 * Funnels and retention cohorts over fifteen days up to now, end to end: made-up visits go through
 * the collector (browser, device and country from the user agent and address), the log and the
 * archiver into the raw store, and `POST /v1/funnels` and `GET /v1/retention` count them; then the
 * batch compacts the closed days into columnar copies and every question is asked again (today
 * stays NDJSON). Crawlers send copies of visitors' events (flagged as bots by their user agent),
 * and the raw store gets later receipts of some messageIds with other content (a redelivery must
 * not count twice, nor replace the first receipt). Every expected figure is counted here, in
 * plain code over the generator's own list of events, never by the code under test.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const STARTED = Date.now();
const TODAY = Math.floor(STARTED / DAY) * DAY;
// A day's visits end within about 20 hours of its start: the last day's run up to now.
const DAY_STARTS = Array.from({ length: 15 }, (_, k) => STARTED - 20 * HOUR - (14 - k) * DAY);
const earlier = madeUpVisits(77, DAY_STARTS, { perDay: 40, pool: 150, before: STARTED - MINUTE, prefix: 'fr' });
// Visitors first coming today before now, whatever the time of day the test runs at.
const today = madeUpVisits(78, [TODAY], { perDay: 40, pool: 150, before: STARTED - MINUTE, prefix: 'fr-today', startWithinMs: Math.max(MINUTE, STARTED - TODAY - 2 * MINUTE) });
const visits = [...earlier.visits, ...today.visits];
const messages = [...earlier.messages, ...today.messages];
const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

interface Seen extends TrueEvent {
  country: string;
  device: string;
}
const events: Seen[] = visits.flatMap((v) => v.events.map((e) => ({ ...e, country: v.country, device: v.device })));

/** A crawler's copy of every seventh message, a little earlier, landing on /pricing from the newsletter: none may count. */
const bots = messages
  .filter((_, i) => i % 7 === 0)
  .map((m) => {
    const context = m.context as Record<string, unknown>;
    return {
      ...m,
      type: 'page',
      event: undefined,
      properties: {},
      messageId: `${String(m.messageId)}-bot`,
      timestamp: new Date(Date.parse(String(m.timestamp)) - 5 * MINUTE).toISOString(),
      context: { ...context, userAgent: BOT_UA, page: { path: '/pricing' }, campaign: { source: 'newsletter' } },
    };
  });

// ── The truth, in plain code over the made-up events ──
type Step = { kind: 'page'; path: string } | { kind: 'event'; event: 'Signed Up'; properties?: { plan: string } };
type Filter = 'country:GB' | 'context.campaign.source:newsletter';
const holds = (e: Seen, f: Filter) => (f === 'country:GB' ? e.country === 'GB' : e.source === 'newsletter');
const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
const matches = (e: Seen, step: Step) =>
  step.kind === 'page' ? e.isPage && glob(step.path).test(e.path) : !e.isPage && (step.properties === undefined || e.plan === step.properties.plan);
const inRange = (from: number, to: number) => events.filter((e) => e.time >= from && e.time < to);
function byVisitor(list: readonly Seen[]): Map<string, Seen[]> {
  const out = new Map<string, Seen[]>();
  for (const e of list) out.set(e.visitor, [...(out.get(e.visitor) ?? []), e]);
  for (const those of out.values()) those.sort((a, b) => a.time - b.time || (a.messageId < b.messageId ? -1 : 1));
  return out;
}

/**
 * A visitor with an event in the range on which every filter holds enters at their first event
 * matching step 1; each next step is their first matching event strictly after the step before
 * and within the window from entering.
 */
function funnelTruth(from: number, to: number, steps: readonly Step[], windowMs: number, filters: readonly Filter[]) {
  const those = inRange(from, to);
  const kept = new Set(those.filter((e) => filters.every((f) => holds(e, f))).map((e) => e.visitor));
  const counts = steps.map(() => 0);
  for (const [visitor, list] of byVisitor(those)) {
    if (!kept.has(visitor)) continue;
    const entry = list.find((e) => matches(e, steps[0]!));
    if (!entry) continue;
    counts[0]!++;
    let at = entry.time;
    for (let i = 1; i < steps.length; i++) {
      const next = list.find((e) => e.time > at && e.time <= entry.time + windowMs && matches(e, steps[i]!));
      if (!next) break;
      counts[i]!++;
      at = next.time;
    }
  }
  return counts.map((visitors, i) => ({ visitors, dropOff: i === 0 ? 0 : counts[i - 1]! - visitors, conversion: counts[0] === 0 ? 0 : visitors / counts[0]! }));
}

/** The UTC day, or the Monday of the ISO week, an instant falls in. */
const periodStart = (t: number, period: 'day' | 'week') => {
  const day = Math.floor(t / DAY) * DAY;
  return period === 'day' ? day : day - ((new Date(day).getUTCDay() + 6) % 7) * DAY;
};

/**
 * Cohorts by the period of each visitor's first event in the range (which the filters must hold
 * on), and per later period how many of them were seen.
 */
function retentionTruth(from: number, to: number, period: 'day' | 'week', filters: readonly Filter[]) {
  const width = period === 'day' ? DAY : 7 * DAY;
  const cohorts = new Map<number, number[]>();
  for (const list of byVisitor(inRange(from, to)).values()) {
    if (!filters.every((f) => holds(list[0]!, f))) continue;
    const cohort = periodStart(list[0]!.time, period);
    const returning = cohorts.get(cohort) ?? [];
    for (const p of new Set(list.map((e) => periodStart(e.time, period)))) {
      const k = Math.round((p - cohort) / width);
      while (returning.length <= k) returning.push(0);
      returning[k]!++;
    }
    cohorts.set(cohort, returning);
  }
  return [...cohorts].sort(([a], [b]) => a - b).map(([start, returning]) => ({ start: new Date(start).toISOString().slice(0, 10), size: returning[0]!, returning }));
}

const FIRST_DAY = Math.floor(DAY_STARTS[0]! / DAY) * DAY;
const RANGES = {
  'fifteen days up to now': { from: FIRST_DAY, to: STARTED },
  'three closed days': { from: TODAY - 9 * DAY, to: TODAY - 6 * DAY },
  today: { from: TODAY, to: STARTED },
};
const FUNNELS: Array<{ name: string; steps: Step[]; windowMinutes: number }> = [
  {
    name: 'home, a /p* page, a pro sign up within three hours',
    steps: [{ kind: 'page', path: '/' }, { kind: 'page', path: '/p*' }, { kind: 'event', event: 'Signed Up', properties: { plan: 'pro' } }],
    windowMinutes: 180,
  },
  { name: 'a sign up, then the docs within a day', steps: [{ kind: 'event', event: 'Signed Up' }, { kind: 'page', path: '/docs' }], windowMinutes: 24 * 60 },
];
const FILTERS: Filter[][] = [[], ['country:GB', 'context.campaign.source:newsletter']];

let t: TestApp;
let readKey: string;
let tenant: string;

/** Later receipts of a few messageIds, with other content (a pro sign up a minute later): the first receipt must win. */
async function redeliverWithOtherContent(): Promise<number> {
  let written = 0;
  for (const key of (await t.app.objectStore.list(`raw/tenant=${tenant}/`)).filter((_, i) => i % 5 === 0)) {
    const first = JSON.parse(new TextDecoder().decode((await t.app.objectStore.get(key))!).trim().split('\n')[0]!) as AnalyticsEvent;
    const later: AnalyticsEvent = {
      ...first,
      type: 'track',
      event: 'Signed Up',
      properties: { plan: 'pro' },
      context: { ...first.context, page: { path: '/pricing' }, campaign: { source: 'newsletter' } },
      timestamp: new Date(Math.min(Date.parse(first.timestamp) + MINUTE, Math.floor(Date.parse(first.timestamp) / DAY) * DAY + DAY - 1)).toISOString(),
      receivedAt: new Date(Date.parse(first.receivedAt) + 1_000).toISOString(),
    };
    await t.app.objectStore.put(key.replace(/[^/]+\.ndjson$/, `redelivered-${written}.ndjson`), `${JSON.stringify(later)}\n`);
    written++;
  }
  return written;
}

beforeAll(async () => {
  t = await startTestApp({ start: 'real', env: { ANALYTICS_BATCH_IN_PROCESS: 'false', ARCHIVE_FLUSH_MS: '200' } });
  tenant = `funnels-${Math.random().toString(36).slice(2, 8)}`;
  const writeKey = await t.tenantWithKey({ id: tenant, rateLimitPerSecond: 100_000, dailyQuota: 1_000_000 });
  readKey = await t.tenantWithKey({ id: tenant }, 'read');
  await collectIntoRawStore(t, tenant, writeKey, [...messages, ...bots]);
  expect(await redeliverWithOtherContent()).toBeGreaterThan(3);
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
});

const iso = (ms: number) => new Date(ms).toISOString();
const filterQuery = (filters: readonly string[]) => filters.map((f) => `filter=${encodeURIComponent(f)}`).join('&');
interface Freshness {
  source: string;
  through: string | null;
  files: number;
}
async function funnel(from: number, to: number, steps: readonly Step[], windowMinutes: number, filters: readonly string[]) {
  const res = await t.app.server.inject({ method: 'POST', url: `/v1/funnels?${filterQuery(filters)}`, headers: { authorization: `Bearer ${readKey}` }, payload: { from: iso(from), to: iso(to), steps, windowMinutes } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { steps: ReturnType<typeof funnelTruth>; windowMinutes: number; freshness: Freshness };
}
async function retention(from: number, to: number, period: 'day' | 'week', filters: readonly string[]) {
  const res = await t.app.server.inject({ method: 'GET', url: `/v1/retention?from=${iso(from)}&to=${iso(to)}&period=${period}&${filterQuery(filters)}`, headers: { authorization: `Bearer ${readKey}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { period: string; cohorts: ReturnType<typeof retentionTruth>; freshness: Freshness };
}

describe('the made-up traffic', () => {
  it('has visitors entering every funnel in every range and filter, some through to the end, and visitors coming back', () => {
    // In the first minutes of a UTC day there is no time yet for today's visitors: today's answers are then all zero.
    const ranges = Object.values(RANGES).filter(({ from, to }) => to - from > 5 * MINUTE);
    for (const { from, to } of ranges) {
      for (const filters of FILTERS) for (const f of FUNNELS) expect(funnelTruth(from, to, f.steps, f.windowMinutes * MINUTE, filters)[0]!.visitors).toBeGreaterThan(0);
    }
    for (const filters of FILTERS) for (const f of FUNNELS) expect(funnelTruth(FIRST_DAY, STARTED, f.steps, f.windowMinutes * MINUTE, filters).at(-1)!.visitors).toBeGreaterThan(0);
    expect(retentionTruth(TODAY - 14 * DAY, STARTED, 'day', []).filter((c) => c.returning.slice(1).some((n) => n > 0)).length).toBeGreaterThan(5);
  });
});

function againstTheTruth(label: string) {
  describe(`funnels and retention against the ground truth (${label})`, () => {
    for (const [rangeName, { from, to }] of Object.entries(RANGES)) {
      for (const f of FUNNELS) {
        it.each(FILTERS.map((filters) => [filters.join(' and ') || 'no filter', filters] as const))(`counts ${f.name} over ${rangeName}, %s`, async (_, filters) => {
          const answer = await funnel(from, to, f.steps, f.windowMinutes, filters);
          expect(answer.steps).toEqual(funnelTruth(from, to, f.steps, f.windowMinutes * MINUTE, filters));
          expect(answer.freshness.source).toBe('raw events');
          const sent = inRange(from, to);
          if (to === STARTED && sent.length > 0) {
            // Today is as fresh as the archiver's last flush: every event sent is in, and the answer says so.
            expect(Date.parse(answer.freshness.through!)).toBeGreaterThanOrEqual(Math.max(...sent.map((e) => e.time)));
          }
        });
      }
    }

    it.each(FILTERS.map((filters) => [filters[1] ? 'first event from the newsletter' : 'no filter', filters.slice(1)] as const))(
      'builds daily cohorts of first-seen visitors over fifteen days and their returns, %s',
      async (_, filters) => {
        const from = TODAY - 14 * DAY;
        const answer = await retention(from, STARTED, 'day', filters);
        const truth = retentionTruth(from, STARTED, 'day', filters);
        expect(truth.length).toBeGreaterThan(10);
        expect(answer.cohorts).toEqual(truth);
      },
    );

    it.each(FILTERS.map((filters) => [filters[1] ? 'first event from the newsletter' : 'no filter', filters.slice(1)] as const))(
      'builds weekly cohorts from a Monday and their returns, %s',
      async (_, filters) => {
        const from = periodStart(TODAY - 14 * DAY, 'week');
        const answer = await retention(from, STARTED, 'week', filters);
        const truth = retentionTruth(from, STARTED, 'week', filters);
        expect(truth.length).toBeGreaterThanOrEqual(2);
        expect(answer.cohorts).toEqual(truth);
      },
    );
  });
}

againstTheTruth('NDJSON');

describe('after the batch compacts the closed days', () => {
  it('reads their columnar copies, and today from NDJSON', async () => {
    const run = await runBatch({ lake: t.app.objectStore, tenants: [tenant], now: Date.now() });
    expect(run.periods.length).toBeGreaterThanOrEqual(14);
    const copies = (await t.app.objectStore.list(`columnar/tenant=${tenant}/`)).filter((k) => k.endsWith('events.parquet'));
    expect(copies.length).toBe(run.periods.length);
    expect(copies.some((k) => k.includes(`date=${iso(TODAY).slice(0, 10)}`))).toBe(false);
  }, 120_000);
});

againstTheTruth('columnar copies and today');
