import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { auth, queryApp } from './query-app.fixture.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');

/** A visit of page views `gapsMin` minutes apart, from `source`, starting at `startIso`. */
function visit(visitor: string, startIso: string, gapsMin: number[], source: string, paths: string[]): AnalyticsEvent[] {
  let time = Date.parse(startIso);
  return [0, ...gapsMin].map((gap, i) => {
    time += gap * 60_000;
    const iso = new Date(time).toISOString();
    return {
      tenantId: 'acme',
      messageId: `${visitor}-${iso}`,
      type: 'page',
      anonymousId: visitor,
      timestamp: iso,
      receivedAt: iso,
      properties: {},
      context: { page: { path: paths[i % paths.length] }, campaign: { source } },
      isBot: false,
    };
  });
}

// Yesterday-ish hours 02:00-04:00 (the compared period) and today's 08:00-10:00 (the queried one).
const events: AnalyticsEvent[] = [
  // Queried period: 3 visits from news (one bounce, one of 2 pages over 5 min, one of 3 pages over 20 min), 1 bounce from ads.
  ...visit('a', '2026-11-25T08:05:00Z', [], 'news', ['/']),
  ...visit('b', '2026-11-25T08:10:00Z', [5], 'news', ['/', '/pricing']),
  ...visit('c', '2026-11-25T09:00:00Z', [10, 10], 'news', ['/docs', '/pricing', '/signup']),
  ...visit('d', '2026-11-25T09:30:00Z', [], 'ads', ['=cmd()']),
  // Compared period: 2 visits from news, both bounces.
  ...visit('e', '2026-11-25T02:05:00Z', [], 'news', ['/']),
  ...visit('f', '2026-11-25T03:05:00Z', [], 'news', ['/']),
];

let fixture: Awaited<ReturnType<typeof queryApp>>;
beforeAll(async () => {
  fixture = await queryApp(NOW);
  await fixture.ingest(events);
});
afterAll(async () => fixture.app.close());

const get = (query: string, key = 'read-acme') => fixture.app.inject({ url: `/v1/query?${query}`, headers: auth(key) });
const range = 'granularity=hour&from=2026-11-25T08:00:00Z&to=2026-11-25T10:00:00Z';

describe('panel queries', () => {
  it('answers bounce rate, mean duration and pages per visit as ratios of declared metrics', async () => {
    const rate = (await get(`metric=bounce_rate&${range}`)).json();
    expect(rate.kind).toBe('ratio');
    expect(rate.ratio).toEqual({ numerator: 'bounces', denominator: 'visits' });
    expect(rate.total.value).toBe(2 / 4);
    expect(rate.series.map((p: { value: number }) => p.value)).toEqual([1 / 2, 1 / 2]);
    expect((await get(`metric=visit_duration&${range}`)).json().total.value).toBe(((5 + 20) * 60_000) / 4);
    expect((await get(`metric=pages_per_visit&${range}`)).json().total.value).toBe(7 / 4);
  });

  it('filters on one breakdown value and compares with the previous period', async () => {
    const res = await get(`metric=visits&${range}&filter=context.campaign.source:news&compare=previous`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total.value).toBe(3);
    expect(body.comparison.total.value).toBe(0);
    const earlier = (await get('metric=visits&granularity=hour&from=2026-11-25T02:00:00Z&to=2026-11-25T04:00:00Z&filter=context.campaign.source:news')).json();
    expect(earlier.total.value).toBe(2);
    const chosen = (await get(`metric=visits&${range}&compareFrom=2026-11-25T02:00:00Z&compareTo=2026-11-25T04:00:00Z`)).json();
    expect(chosen.total.value).toBe(4);
    expect(chosen.comparison.total.value).toBe(2);
    expect(chosen.comparison.series.map((p: { value: number }) => p.value)).toEqual([1, 1]);
  });

  it('exports the panel as CSV, with formulas defused', async () => {
    const res = await fixture.app.inject({ url: `/v1/query.csv?metric=visits&${range}&breakdown=visit.entry_page&compare=previous`, headers: auth('read-acme') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('start,end,visits,visit.entry_page=/,visit.entry_page=/docs,visit.entry_page==cmd(),compared_start,compared_visits');
    expect(lines[1]).toBe('2026-11-25T08:00:00+00:00,2026-11-25T09:00:00+00:00,2,2,0,0,2026-11-25T06:00:00+00:00,0');
    expect(lines.at(-1)).toBe('total,,4,,,,,0');
    const top = await fixture.app.inject({ url: `/v1/query.csv?metric=top_pages&${range}`, headers: auth('read-acme') });
    expect(top.body.split('\r\n').slice(0, 2)).toEqual(['item,count', '/,2']);
    // A path a hostile client sent stays text in a spreadsheet.
    expect(top.body).toContain("\r\n'=cmd(),1\r\n");
  });

  it('names the field at fault and keeps tenants apart', async () => {
    for (const [query, field] of [
      [`metric=visits&${range}&filter=nope`, 'filter'],
      [`metric=visits&${range}&filter=properties.secret:x`, 'filter'],
      [`metric=visits&${range}&filter=context.campaign.source:news&breakdown=visit.entry_page`, 'filter'],
      [`metric=visits&${range}&compareFrom=2026-11-25T05:00:00Z`, 'compareTo'],
      [`metric=visits&${range}&compareFrom=2026-11-25T05:00:00Z&compareTo=2026-11-25T04:00:00Z`, 'compareFrom'],
      [`metric=bounce_rat&${range}`, 'metric'],
    ] as const) {
      const res = await get(query);
      expect(res.statusCode, query).toBe(400);
      expect(res.body, query).toContain(field);
    }
    expect((await get(`metric=visits&${range}`, 'read-globex')).json().total.value).toBe(0);
    expect((await get(`metric=visits&${range}`, 'nobody')).statusCode).toBe(401);
  });
});
