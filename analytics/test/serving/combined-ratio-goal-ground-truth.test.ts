import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, runBatch, type DuckDbEngine } from '../../src/batch/index.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import { type Answer, answerPanel, type PanelResult } from '../../src/query/answer-panel.ts';
import { answerAllFromRawEvents } from '../../src/query/combined-filter.ts';
import { startTestApp, type TestApp } from '../collector/support/test-app.ts';
import { ADDRESSES, CENTS, collectIntoRawStore, madeUpVisits, PAGES, type TrueEvent, type TrueVisit } from './collected-traffic.fixture.ts';

/**
 * Ratios with their compared period, and goal metrics, under two and three filters, end to end:
 * made-up visits go through the collector (browser, device and country from the user agent and
 * address), the log and the archiver into the raw store; goals are defined through `/v1/goals`;
 * `/v1/query` counts from the raw events, then again from the batch's columnar copy. Every
 * expected figure is counted here from the generator's own list of events, never by the code
 * under test.
 */
const DAY = 86_400_000;
const MINUTE = 60_000;
/** The compared day, then the queried one. */
const FIRST = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
const QUERIED = FIRST + DAY;

const { visits, messages } = madeUpVisits(41, [FIRST, QUERIED]);

const BOT_AGENT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

/** A crawler on both days from both countries, pages and now and then a track event: the collector flags it a bot. */
function crawler(seed: number) {
  const r = seededRandom(seed);
  const hits: Array<{ time: number; country: string; isPage: boolean }> = [];
  const sent: Record<string, unknown>[] = [];
  for (const dayStart of [FIRST, QUERIED]) {
    for (let i = 0; i < 60; i++) {
      const address = r.pick(ADDRESSES);
      const hit = { time: dayStart + r.below(DAY), country: address.country, isPage: r() < 0.75 };
      hits.push(hit);
      sent.push({
        type: hit.isPage ? 'page' : 'track',
        ...(hit.isPage ? {} : { event: 'Crawled' }),
        messageId: `bot-${seed}-${sent.length}`,
        anonymousId: `crawler-${i % 3}`,
        timestamp: new Date(hit.time).toISOString(),
        context: { ip: address.ip, userAgent: BOT_AGENT, page: { path: r.pick(PAGES) } },
      });
    }
  }
  return { hits, sent };
}

const bots = crawler(43);

// ── The truth, in plain code over the made-up events ──
type Filter = 'country:GB' | 'device:desktop' | 'browser:Chrome' | 'context.campaign.source:newsletter';
const TWO: Filter[] = ['country:GB', 'device:desktop'];
const THREE: Filter[] = ['country:GB', 'device:desktop', 'context.campaign.source:newsletter'];
/** A visitor filter holds on the visit; the source on the visit's entry event (visit metrics) or on each event (event metrics). */
const visitHolds = (v: TrueVisit, f: Filter) =>
  f === 'country:GB' ? v.country === 'GB' : f === 'device:desktop' ? v.device === 'desktop' : f === 'browser:Chrome' ? v.browser === 'Chrome' : v.events[0]!.source === 'newsletter';
const eventHolds = (v: TrueVisit, e: TrueEvent, f: Filter) => (f === 'context.campaign.source:newsletter' ? e.source === 'newsletter' : visitHolds(v, f));

const dayOf = (start: number) => (t: number) => t >= start && t < start + DAY;
const hourOf = (start: number, t: number) => Math.floor((t - start) / 3_600_000);
const hours = <T>(start: number, items: readonly T[], time: (item: T) => number, value: (those: T[]) => number) =>
  Array.from({ length: 24 }, (_, h) => value(items.filter((item) => hourOf(start, time(item)) === h)));
const of = (n: number, d: number) => (d === 0 ? 0 : n / d);

/** The goals as defined through the API; their ids come back from it. */
const GOALS = [
  { key: 'pricing', input: { name: 'Pricing page', kind: 'page', path: '/pricing' }, completes: (e: TrueEvent) => e.isPage && e.path === '/pricing' },
  { key: 'p-pages', input: { name: 'Any /p page', kind: 'page', path: '/p*' }, completes: (e: TrueEvent) => e.isPage && e.path.startsWith('/p') },
  { key: 'pro', input: { name: 'Pro sign up', kind: 'event', event: 'Signed Up', properties: { plan: 'pro' } }, completes: (e: TrueEvent) => !e.isPage && e.plan === 'pro' },
] as const;
type GoalKey = (typeof GOALS)[number]['key'];
const goalIds = new Map<GoalKey, string>();

/** The events of `day` on which every filter holds, each with its visit. */
function eventsOf(start: number, filters: readonly Filter[]): Array<{ visit: TrueVisit; event: TrueEvent }> {
  const inDay = dayOf(start);
  return visits.flatMap((visit) => visit.events.filter((event) => inDay(event.time) && filters.every((f) => eventHolds(visit, event, f))).map((event) => ({ visit, event })));
}
const converting = (start: number, filters: readonly Filter[], only?: GoalKey) =>
  eventsOf(start, filters).filter(({ event }) => GOALS.some((g) => (only === undefined || g.key === only) && g.completes(event)));
const people = (items: ReadonlyArray<{ event: TrueEvent }>) => new Set(items.map(({ event }) => event.person)).size;
const cents = (items: ReadonlyArray<{ event: TrueEvent }>) => items.reduce((n, { event }) => n + (event.revenue === undefined ? 0 : CENTS.get(event.revenue)!), 0);

let t: TestApp;
let readKey: string;
let tenant: string;
let duckdb: DuckDbEngine;

beforeAll(async () => {
  t = await startTestApp({ start: 'real', env: { ANALYTICS_BATCH_IN_PROCESS: 'false', ARCHIVE_FLUSH_MS: '200' } });
  tenant = `combo-ratio-${Math.random().toString(36).slice(2, 8)}`;
  const writeKey = await t.tenantWithKey({ id: tenant });
  readKey = await t.tenantWithKey({ id: tenant }, 'read');
  for (const goal of GOALS) {
    const res = await t.app.server.inject({ method: 'POST', url: '/v1/goals', headers: { authorization: `Bearer ${readKey}` }, payload: goal.input });
    expect(res.statusCode, res.body).toBe(201);
    goalIds.set(goal.key, (res.json() as { id: string }).id);
  }
  await collectIntoRawStore(t, tenant, writeKey, [...messages, ...bots.sent]);
  duckdb = await openDuckDb({ threads: 1 });
}, 90_000);

afterAll(async () => {
  duckdb?.close();
  await t?.cleanup();
});

const range = `granularity=hour&tz=UTC&from=${new Date(QUERIED).toISOString()}&to=${new Date(QUERIED + DAY).toISOString()}`;
const filtersOf = (filters: readonly string[]) => filters.map((f) => `filter=${encodeURIComponent(f)}`).join('&');
async function query(metric: string, filters: readonly string[], extra = ''): Promise<PanelResult> {
  const res = await t.app.server.inject({ method: 'GET', url: `/v1/query?${range}&metric=${metric}&${filtersOf(filters)}&limit=100${extra}`, headers: { authorization: `Bearer ${readKey}` } });
  expect(res.statusCode, res.body).toBe(200);
  const result = res.json() as PanelResult;
  expect(result.served).toBe('raw events');
  return result;
}
const goal = (key: GoalKey) => `goal:${goalIds.get(key)}`;

function againstTheTruth(label: string) {
  describe(`ratios with their comparison and goal metrics under combined filters, against the ground truth (${label})`, () => {
    it.each([
      ['two', TWO],
      ['three', THREE],
    ] as const)('answers bounce rate and pages per visit hour by hour with the previous day (%s filters)', async (_, filters) => {
      const kept = (start: number) => visits.filter((v) => dayOf(start)(v.start) && filters.every((f) => visitHolds(v, f)));
      const bounces = (vs: TrueVisit[]) => vs.filter((v) => v.events.length === 1).length;
      const pages = (vs: TrueVisit[]) => vs.reduce((n, v) => n + v.events.filter((e) => e.isPage).length, 0);
      for (const [metric, numerator] of [
        ['bounce_rate', bounces],
        ['pages_per_visit', pages],
      ] as const) {
        const result = await query(metric, filters, '&compare=previous');
        for (const [start, series, total] of [
          [QUERIED, result.series, result.total.value],
          [FIRST, result.comparison!.series, result.comparison!.total.value],
        ] as const) {
          const those = kept(start);
          expect(those.length).toBeGreaterThan(5);
          expect({ metric, start, hours: series.map((p) => p.value) }).toEqual({ metric, start, hours: hours(start, those, (v) => v.start, (vs) => of(numerator(vs), vs.length)) });
          expect(total).toBeCloseTo(of(numerator(those), those.length), 12);
        }
      }
    });

    it.each([
      ['two', TWO],
      ['three', THREE],
    ] as const)('counts goal conversions, converting people and goal revenue of the events matching %s filters', async (_, filters) => {
      const hits = converting(QUERIED, filters);
      expect(hits.length).toBeGreaterThan(5);
      for (const [metric, value] of [
        ['goal_conversions', (items: typeof hits) => items.length],
        ['goal_visitors', people],
        ['goal_revenue', cents],
      ] as const) {
        const result = await query(metric, filters);
        expect({ metric, hours: result.series.map((p) => p.value) }).toEqual({ metric, hours: hours(QUERIED, hits, ({ event }) => event.time, value) });
        expect(result.total.value).toBe(value(hits));
      }
    });

    it('breaks goal conversions down by goal, an event once per goal it completes and once in the total', async () => {
      const result = await query('goal_conversions', TWO, '&breakdown=goal');
      const expected: Record<string, number> = Object.fromEntries(GOALS.map((g) => [goalIds.get(g.key)!, converting(QUERIED, TWO, g.key).length] as const).filter(([, n]) => n));
      const totals: Record<string, number> = {};
      for (const point of result.series) for (const [id, n] of Object.entries(point.breakdown ?? {})) if (n) totals[id] = (totals[id] ?? 0) + n;
      expect(totals).toEqual(expected);
      // /pricing completes two goals: the breakdown adds up to more than the events.
      expect(Object.values(expected).reduce((a, b) => a + b, 0)).toBeGreaterThan(converting(QUERIED, TWO).length);
      expect(result.total.value).toBe(converting(QUERIED, TWO).length);
    });

    it('filters by one goal beside other dimensions', async () => {
      for (const key of ['pricing', 'pro'] as const) {
        const filters = [goal(key), 'country:GB'];
        const hits = converting(QUERIED, ['country:GB'], key);
        expect(hits.length).toBeGreaterThan(0);
        expect((await query('goal_conversions', filters)).total.value).toBe(hits.length);
        expect((await query('goal_revenue', [...filters, 'device:desktop'])).total.value).toBe(cents(converting(QUERIED, TWO, key)));
      }
    });

    it('counts bot traffic under two filters, with the previous day, apart from every human metric', async () => {
      const result = await query('bots', ['type:page', 'country:GB'], '&compare=previous');
      for (const [start, series, total] of [
        [QUERIED, result.series, result.total.value],
        [FIRST, result.comparison!.series, result.comparison!.total.value],
      ] as const) {
        const those = bots.hits.filter((h) => dayOf(start)(h.time) && h.isPage && h.country === 'GB');
        expect(those.length).toBeGreaterThan(5);
        expect({ start, hours: series.map((p) => p.value) }).toEqual({ start, hours: hours(start, those, (h) => h.time, (hs) => hs.length) });
        expect(total).toBe(those.length);
      }
      const tracked = bots.hits.filter((h) => dayOf(QUERIED)(h.time) && !h.isPage && h.country === 'FR');
      expect((await query('bots', ['event:Crawled', 'country:FR'])).total.value).toBe(tracked.length);
    });

    it("answers a goal's conversion rate under a goal and two filters, with the previous day, over the filtered people", async () => {
      const result = await query('goal_conversion_rate', [goal('pro'), ...TWO], '&compare=previous');
      expect(result.filters).toEqual([goal('pro'), ...TWO].map((f) => ({ dimension: f.slice(0, f.indexOf(':')), value: f.slice(f.indexOf(':') + 1) })));
      for (const [start, series, total] of [
        [QUERIED, result.series, result.total.value],
        [FIRST, result.comparison!.series, result.comparison!.total.value],
      ] as const) {
        const rate = (items: ReturnType<typeof eventsOf>) => of(people(items.filter(({ event }) => GOALS[2].completes(event))), people(items));
        expect({ start, hours: series.map((p) => p.value) }).toEqual({ start, hours: hours(start, eventsOf(start, TWO), ({ event }) => event.time, rate) });
        expect(total).toBeCloseTo(rate(eventsOf(start, TWO)), 12);
      }
      const byGoal = await query('goal_conversion_rate', TWO, '&breakdown=goal');
      const everyone = people(eventsOf(QUERIED, TWO));
      const ranged: Record<string, number> = {};
      for (const g of GOALS) {
        const n = people(converting(QUERIED, TWO, g.key));
        if (n) ranged[goalIds.get(g.key)!] = n / everyone;
      }
      // Each goal over the whole of the range: the per-period ratios are each goal's people over each period's people.
      const peopleByGoal = Object.fromEntries(GOALS.map((g) => [goalIds.get(g.key)!, hours(QUERIED, converting(QUERIED, TWO, g.key), ({ event }) => event.time, people)]));
      const everyoneByHour = hours(QUERIED, eventsOf(QUERIED, TWO), ({ event }) => event.time, people);
      byGoal.series.forEach((point, h) => {
        for (const [id, value] of Object.entries(point.breakdown ?? {})) expect(value).toBeCloseTo(of(peopleByGoal[id]![h]!, everyoneByHour[h]!), 12);
      });
      expect(byGoal.breakdown?.values.sort()).toEqual(Object.keys(ranged).sort());
    });
  });
}

describe('the made-up traffic', () => {
  it('has conversions of every goal and bounces in each filtered cut', () => {
    for (const filters of [TWO, THREE]) for (const start of [FIRST, QUERIED]) expect(converting(start, filters).length).toBeGreaterThan(3);
    for (const g of GOALS) expect(converting(QUERIED, TWO, g.key).length).toBeGreaterThan(0);
    expect(visits.some((v) => v.events.length === 1 && v.country === 'GB' && v.device === 'desktop')).toBe(true);
    expect(new Set(eventsOf(QUERIED, TWO).map(({ event }) => event.person)).size).toBeLessThan(eventsOf(QUERIED, TWO).length);
  });
});

describe('one read per question', () => {
  it('answers a ratio with its compared period in one DuckDB statement, as the route answers it', async () => {
    const connection = await duckdb.connect();
    const statements: string[] = [];
    const counting = new Proxy(connection, {
      get(target, name, receiver) {
        if (name === 'runAndReadAll') {
          return (sql: string) => {
            statements.push(sql);
            return target.runAndReadAll(sql);
          };
        }
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as DuckDBConnection;
    const now = Date.now();
    const options = { goals: [] };
    const answer: Answer = Object.assign(async (q: Parameters<Answer>[0]) => (await answerAllFromRawEvents(counting, t.app.objectStore, [{ ...q, combined: q.combined! }], now, options))[0]!, {
      together: (qs: Parameters<NonNullable<Answer['together']>>[0]) => answerAllFromRawEvents(counting, t.app.objectStore, qs, now, options),
    });
    const params = { metric: 'bounce_rate', granularity: 'hour' as const, tz: 'UTC', from: new Date(QUERIED).toISOString(), to: new Date(QUERIED + DAY).toISOString(), filter: TWO, compare: 'previous' as const };
    const result = await answerPanel(answer, params, { id: tenant, timeZone: 'UTC' }, METRICS, { minuteMs: 49 * 3_600_000 }, now);
    expect(statements).toHaveLength(1);
    // One pass over the events of both days: the raw events are selected once.
    expect(statements[0]!.match(/read_(json|parquet)\(/g)?.length ?? 0).toBeLessThanOrEqual(2);
    const http = await query('bounce_rate', TWO, '&compare=previous');
    expect({ series: result.series, comparison: result.comparison }).toEqual({ series: http.series, comparison: http.comparison });
    connection.closeSync();
  });
});

againstTheTruth('NDJSON');

describe('after the batch compacts the days', () => {
  it('reads the columnar copies', async () => {
    const run = await runBatch({ lake: t.app.objectStore, tenants: [tenant], now: QUERIED + DAY + 60 * MINUTE, graceMs: 0 });
    expect(run.periods.length).toBeGreaterThan(1);
    expect((await t.app.objectStore.list(`columnar/tenant=${tenant}/`)).filter((k) => k.endsWith('events.parquet')).length).toBe(2);
  }, 60_000);
});

againstTheTruth('columnar copy');

describe('what the metrics list says', () => {
  it('lists goal metrics and bot traffic as taking combined filters', async () => {
    const res = await t.app.server.inject({ method: 'GET', url: '/v1/metrics', headers: { authorization: `Bearer ${readKey}` } });
    const listed = (res.json() as { metrics: Array<{ name: string; combinedFilters: boolean; filters: string[] }> }).metrics;
    for (const name of ['goal_conversions', 'goal_visitors', 'goal_revenue']) {
      const metric = listed.find((m) => m.name === name)!;
      expect(metric.combinedFilters).toBe(true);
      expect(metric.filters).toEqual(expect.arrayContaining(['goal', 'country', 'device', 'context.page.path']));
    }
    const bots = listed.find((m) => m.name === 'bots')!;
    expect(bots.combinedFilters).toBe(true);
    expect(bots.filters).toEqual(expect.arrayContaining(['type', 'event', 'country', 'device']));
  });
});
