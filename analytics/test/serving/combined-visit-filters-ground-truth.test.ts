import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/batch/index.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import type { PanelResult } from '../../src/query/answer-panel.ts';
import { startTestApp, type TestApp } from '../collector/support/test-app.ts';
import { ADDRESSES, AGENTS, collectIntoRawStore } from './collected-traffic.fixture.ts';

/**
 * Visit metrics, unique sessions and top-K lists under two and three filters, end to end: made-up
 * visits go through the collector (which fills browser, device and country from the user agent and
 * address), the log and the archiver into the raw store, and `/v1/query` folds and counts them
 * from there; then the batch compacts the day into its columnar copy and every answer is asked
 * again. Each visit is written down as it is made up, and every expected figure is counted here
 * from that list and the generator's own tables, never by the code under test.
 */
const DAY = 86_400_000;
const MINUTE = 60_000;
const TIMEOUT = 30 * MINUTE;
const FIRST = Math.floor(Date.now() / DAY) * DAY - DAY;

const PAGES = ['/', '/pricing', '/docs', '/blog', '/signup'];
const SOURCES = ['newsletter', 'google'];
const REFERRERS = ['https://news.example/', 'https://search.example/', 'https://friend.example/'];

interface TrueEvent {
  path: string;
  source: string;
  referrer: string;
  session: string;
  isPage: boolean;
}

interface TrueVisit {
  start: number;
  durationMs: number;
  country: string;
  browser: string;
  device: string;
  events: TrueEvent[];
}

/**
 * Visitors with one browser, device and country each come one to three times in the day; a visit
 * is one to five events with gaps up to the timeout (exactly the timeout now and then), the next
 * after a gap over it, all before 21:00 UTC. Each event has its own page, campaign source,
 * referrer and session id, so a visit's entry values differ from its later events'.
 */
function traffic(seed: number) {
  const r = seededRandom(seed);
  const visits: TrueVisit[] = [];
  const messages: Record<string, unknown>[] = [];
  for (let v = 0; v < 90; v++) {
    const agent = AGENTS[v % AGENTS.length]!;
    const address = ADDRESSES[Math.floor(v / AGENTS.length) % ADDRESSES.length]!;
    let time = FIRST + r.below(8 * 60) * MINUTE + r.below(MINUTE);
    for (let n = 1 + r.below(3); n > 0; n--) {
      const visit: TrueVisit = { start: time, durationMs: 0, country: address.country, browser: agent.browser, device: agent.device, events: [] };
      for (let e = 1 + r.below(5); e > 0; e--) {
        if (visit.events.length > 0) time += v % 9 === 0 && visit.events.length === 1 ? TIMEOUT : 1_000 + r.below(TIMEOUT - 1_000);
        const event: TrueEvent = { path: r.pick(PAGES), source: r.pick(SOURCES), referrer: r.pick(REFERRERS), session: `s-${r.below(40)}`, isPage: r() < 0.75 };
        visit.events.push(event);
        visit.durationMs = time - visit.start;
        messages.push({
          type: event.isPage ? 'page' : 'track',
          ...(event.isPage ? {} : { event: 'Clicked' }),
          messageId: `cv-${seed}-${messages.length}`,
          anonymousId: `visitor-${v}`,
          timestamp: new Date(time).toISOString(),
          context: { ip: address.ip, userAgent: agent.ua, sessionId: event.session, page: { path: event.path, referrer: event.referrer }, campaign: { source: event.source } },
        });
      }
      visits.push(visit);
      time += TIMEOUT + 1 + r.below(90 * MINUTE);
    }
  }
  return { visits, messages };
}

const { visits, messages } = traffic(23);

/** A visit filter as the API takes it and as it holds on a made-up visit. */
type Check = (v: TrueVisit) => boolean;
const F = {
  'country:GB': (v) => v.country === 'GB',
  'country:FR': (v) => v.country === 'FR',
  'device:desktop': (v) => v.device === 'desktop',
  'browser:Chrome': (v) => v.browser === 'Chrome',
  // A visit metric's own dimensions hold on the entry event; others on any event of the visit.
  'context.campaign.source:newsletter': (v) => v.events[0]!.source === 'newsletter',
  'visit.entry_page:/pricing': (v) => v.events[0]!.path === '/pricing',
  'visit.exit_page:/docs': (v) => v.events.at(-1)!.path === '/docs',
  'context.page.path:/signup': (v) => v.events.some((e) => e.path === '/signup'),
} satisfies Record<string, Check>;
type FilterText = keyof typeof F;

const TWO: FilterText[] = ['country:GB', 'device:desktop'];
const THREE: FilterText[] = ['country:GB', 'device:desktop', 'context.campaign.source:newsletter'];
const kept = (filters: readonly FilterText[]) => visits.filter((v) => filters.every((f) => F[f](v)));

const FACTS = {
  visits: () => 1,
  bounces: (v: TrueVisit) => (v.events.length === 1 ? 1 : 0),
  visit_duration_ms: (v: TrueVisit) => v.durationMs,
  visit_pageviews: (v: TrueVisit) => v.events.filter((e) => e.isPage).length,
  exits: () => 1,
};
const sum = (vs: readonly TrueVisit[], fact: (v: TrueVisit) => number) => vs.reduce((n, v) => n + fact(v), 0);
const hourOf = (v: TrueVisit) => Math.floor((v.start - FIRST) / 3_600_000);

function tally<T>(items: readonly T[], key: (t: T) => string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = key(item);
    if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
const ranked = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([item, count]) => ({ item, count }))
    .sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : 1));
/** The events of the visits (each carries its visit's visitor values) on which the event-level filters hold. */
const eventsWhere = (only: (v: TrueVisit) => boolean) => visits.filter(only).flatMap((v) => v.events);

let t: TestApp;
let readKey: string;
let tenant: string;

beforeAll(async () => {
  t = await startTestApp({ start: 'real', env: { ANALYTICS_BATCH_IN_PROCESS: 'false', ARCHIVE_FLUSH_MS: '200' } });
  tenant = `combo-visits-${Math.random().toString(36).slice(2, 8)}`;
  const writeKey = await t.tenantWithKey({ id: tenant });
  readKey = await t.tenantWithKey({ id: tenant }, 'read');
  await collectIntoRawStore(t, tenant, writeKey, messages);
}, 90_000);

afterAll(async () => {
  await t?.cleanup();
});

const range = () => `granularity=hour&tz=UTC&from=${new Date(FIRST).toISOString()}&to=${new Date(FIRST + DAY).toISOString()}`;
const get = (params: string) =>
  t.app.server.inject({ method: 'GET', url: `/v1/query?${range()}&${params}${params.includes('limit=') ? '' : '&limit=100'}`, headers: { authorization: `Bearer ${readKey}` } });
const filtersOf = (filters: readonly string[]) => filters.map((f) => `filter=${encodeURIComponent(f)}`).join('&');
async function query(metric: string, filters: readonly string[], extra = ''): Promise<PanelResult> {
  const res = await get(`metric=${metric}&${filtersOf(filters)}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  const result = res.json() as PanelResult;
  expect(result.served).toBe('raw events');
  return result;
}
function breakdownTotals(result: PanelResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const point of result.series) for (const [value, n] of Object.entries(point.breakdown ?? {})) if (n) out[value] = (out[value] ?? 0) + n;
  return out;
}

/** Every figure asked of the raw events, against the truth; run on the NDJSON, then on the columnar copy. */
function againstTheTruth(label: string) {
  describe(`combined filters on visit metrics, sessions and top-K lists, against the ground truth (${label})`, () => {
    it.each([
      ['two', TWO],
      ['three', THREE],
    ] as const)('folds visits from the raw events and keeps those whose entry event matches %s filters: every visit metric, hour by hour', async (_, filters) => {
      const those = kept(filters);
      for (const [name, fact] of Object.entries(FACTS)) {
        const result = await query(name, filters);
        const hours = Array.from({ length: 24 }, (_, h) => sum(those.filter((v) => hourOf(v) === h), fact));
        expect({ name, filters, hours: result.series.map((p) => p.value) }).toEqual({ name, filters, hours });
        expect(result.total.value).toBe(sum(those, fact));
        expect(result.filters).toEqual(filters.map((f) => ({ dimension: f.slice(0, f.indexOf(':')), value: f.slice(f.indexOf(':') + 1) })));
        expect(result.freshness.source).toBe('raw events');
        expect(Date.parse(result.freshness.through!)).toBeGreaterThan(Date.now() - 10 * 60_000);
      }
    });

    it.each([
      ['two', TWO],
      ['three', THREE],
    ] as const)('answers bounce rate, mean duration and pages per visit as ratios of the filtered visits (%s filters)', async (_, filters) => {
      const those = kept(filters);
      const n = those.length;
      const expected = { bounce_rate: sum(those, FACTS.bounces) / n, visit_duration: sum(those, FACTS.visit_duration_ms) / n, pages_per_visit: sum(those, FACTS.visit_pageviews) / n };
      for (const [name, value] of Object.entries(expected)) {
        const result = await query(name, filters);
        expect(result.kind).toBe('ratio');
        expect(result.total.value, name).toBeCloseTo(value, 9);
      }
    });

    it('breaks filtered visits down by entry page and exits by exit page, and filters by entry and exit pages', async () => {
      expect(breakdownTotals(await query('visits', TWO, '&breakdown=visit.entry_page'))).toEqual(tally(kept(TWO), (v) => v.events[0]!.path));
      expect(breakdownTotals(await query('exits', TWO, '&breakdown=visit.exit_page'))).toEqual(tally(kept(TWO), (v) => v.events.at(-1)!.path));
      const entry: FilterText[] = ['visit.entry_page:/pricing', 'country:GB', 'browser:Chrome'];
      expect((await query('visits', entry)).total.value).toBe(kept(entry).length);
      const exit: FilterText[] = ['visit.exit_page:/docs', 'device:desktop'];
      expect((await query('exits', exit)).total.value).toBe(kept(exit).length);
      const both: FilterText[] = ['visit.entry_page:/pricing', 'visit.exit_page:/docs', 'country:FR'];
      expect((await query('visit_duration_ms', both)).total.value).toBe(sum(kept(both), FACTS.visit_duration_ms));
      expect(breakdownTotals(await query('visits', ['country:GB', 'browser:Chrome'], '&breakdown=context.campaign.source'))).toEqual(tally(kept(['country:GB', 'browser:Chrome']), (v) => v.events[0]!.source));
    });

    it('keeps the visits that viewed a page when filtered by one, with the entry event holding the rest', async () => {
      const filters: FilterText[] = ['context.page.path:/signup', 'country:GB', 'context.campaign.source:newsletter'];
      expect(kept(filters).length).toBeGreaterThan(3);
      expect((await query('visits', filters)).total.value).toBe(kept(filters).length);
      expect((await query('visit_pageviews', filters)).total.value).toBe(sum(kept(filters), FACTS.visit_pageviews));
    });

    it.each([
      ['two', ['country:GB', 'device:desktop']],
      ['three', ['country:GB', 'device:desktop', 'context.campaign.source:newsletter']],
    ] as const)('counts distinct sessions among the events matching %s filters', async (_, filters) => {
      const source = filters[2] ? 'newsletter' : undefined;
      const events = eventsWhere((v) => v.country === 'GB' && v.device === 'desktop').filter((e) => source === undefined || e.source === source);
      expect((await query('unique_sessions', filters)).total.value).toBe(new Set(events.map((e) => e.session)).size);
    });

    it.each([
      ['two', ['country:FR', 'browser:Chrome']],
      ['three', ['country:FR', 'browser:Chrome', 'context.campaign.source:google']],
    ] as const)('ranks top pages and top referrers of the page views matching %s filters', async (_, filters) => {
      const source = filters[2] ? 'google' : undefined;
      const views = eventsWhere((v) => v.country === 'FR' && v.browser === 'Chrome').filter((e) => e.isPage && (source === undefined || e.source === source));
      for (const [name, key] of [
        ['top_pages', (e: TrueEvent) => e.path],
        ['top_referrers', (e: TrueEvent) => e.referrer],
      ] as const) {
        const result = await query(name, filters);
        expect({ name, top: result.total.top }).toEqual({ name, top: ranked(tally(views, key)).slice(0, 10) });
        expect(result.total.value).toBe(views.length);
        expect(result.series.reduce((n, p) => n + (p.top ?? []).reduce((m, i) => m + i.count, 0), 0)).toBe(views.length);
        // Cut to the limit: the most frequent first, per period and over the range.
        const two = await query(name, filters, '&limit=2');
        expect({ name, top: two.total.top }).toEqual({ name, top: ranked(tally(views, key)).slice(0, 2) });
        const busiest = result.series.findIndex((p) => (p.top ?? []).length > 2);
        expect(busiest).toBeGreaterThanOrEqual(0);
        expect(two.series[busiest]!.top).toEqual(result.series[busiest]!.top!.slice(0, 2));
        expect(two.series[busiest]!.value).toBe(result.series[busiest]!.value);
      }
    });
  });
}

describe('the made-up traffic', () => {
  it('has visits of every shape in each filtered cut', () => {
    for (const filters of [TWO, THREE]) {
      const those = kept(filters);
      expect(those.length).toBeGreaterThan(10);
      expect(those.some((v) => v.events.length === 1)).toBe(true);
      expect(those.some((v) => v.events.length >= 3)).toBe(true);
    }
    expect(visits.some((v) => v.events.length > 1 && v.events[0]!.source !== v.events[1]!.source)).toBe(true);
  });
});

againstTheTruth('NDJSON');

describe('after the batch compacts the day', () => {
  it('reads the columnar copy', async () => {
    const run = await runBatch({ lake: t.app.objectStore, tenants: [tenant], now: FIRST + DAY + 60 * MINUTE, graceMs: 0 });
    expect(run.periods.length).toBeGreaterThan(0);
    expect((await t.app.objectStore.list(`columnar/tenant=${tenant}/`)).some((k) => k.endsWith('events.parquet'))).toBe(true);
  }, 60_000);
});

againstTheTruth('columnar copy');

describe('what stays refused', () => {
  it('names the field at fault', async () => {
    const bad = async (params: string) => {
      const res = await get(params);
      expect(res.statusCode, res.body).toBe(400);
      return (res.json() as { message: string }).message;
    };
    expect(await bad('metric=pageviews&filter=country:GB&filter=visit.entry_page:/')).toMatch(/^filter: pageviews can be filtered by .*not visit\.entry_page/);
    expect(await bad('metric=exits&filter=country:GB&filter=device:desktop&breakdown=visit.entry_page')).toMatch(/^breakdown: exits can be broken down by/);
  });
});
