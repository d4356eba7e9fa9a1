import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import { createFileGoalStore } from '../../src/goals/index.ts';
import { registerProductRoutes } from '../../src/query/index.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { writeRaw } from '../batch/batch.fixture.ts';
import { auth, KEYS } from './query-app.fixture.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
const FIRST = Date.parse('2026-11-16T00:00:00Z');
const DAYS = 6;
const NOW = FIRST + DAYS * DAY;
const FROM = FIRST + DAY;
const TO = FIRST + 5 * DAY;

interface Hit {
  id: string;
  visitor: string;
  time: number;
  page?: string;
  event?: string;
  referrer: string;
  device: string;
}

/**
 * Visitors on one device each, whose every visit comes from Google or directly: they land on /,
 * some see /pricing, some sign up. Bots and duplicates ride along and must not count.
 */
function traffic() {
  const r = seededRandom(4242);
  const hits: Hit[] = [];
  for (let v = 0; v < 120; v++) {
    const visitor = `v${v}`;
    const device = r() < 0.4 ? 'mobile' : 'desktop';
    for (let day = r.below(DAYS); day < DAYS; day += 1 + r.below(3)) {
      const referrer = r() < 0.5 ? 'Google' : 'Direct';
      let time = FIRST + day * DAY + r.below(20 * 60) * MINUTE;
      const hit = (what: { page: string } | { event: string }) => {
        hits.push({ id: `m${hits.length}`, visitor, time, referrer, device, ...what });
        time += (1 + r.below(50)) * MINUTE;
      };
      hit({ page: '/' });
      if (r() < 0.5) hit({ page: '/pricing' });
      if (r() < 0.4) hit({ event: 'Signed Up' });
    }
  }
  const events: AnalyticsEvent[] = hits.map((h) => ({
    tenantId: 'acme',
    messageId: h.id,
    type: h.page ? 'page' : 'track',
    ...(h.event ? { event: h.event } : {}),
    anonymousId: h.visitor,
    timestamp: new Date(h.time).toISOString(),
    receivedAt: new Date(h.time).toISOString(),
    properties: {},
    context: h.page ? { page: { path: h.page } } : {},
    dimensions: { referrer: h.referrer, device: h.device },
    isBot: false,
  }));
  const bots = events.filter((_, i) => i % 13 === 0).map((e) => ({ ...e, messageId: `bot-${e.messageId}`, anonymousId: 'bot', dimensions: { referrer: 'Google', device: 'mobile' }, isBot: true }));
  return { hits: hits.filter((h) => h.time >= FROM && h.time < TO), events: [...events, ...bots] };
}

const { hits, events } = traffic();
const matches = (h: Hit, want: Partial<Hit>) => Object.entries(want).every(([k, v]) => h[k as keyof Hit] === v);
/** Visitors with an event in the range on which every wanted value holds, with all their events in it. */
const ofMatchingVisitors = (want: Partial<Hit>) => {
  const keep = new Set(hits.filter((h) => matches(h, want)).map((h) => h.visitor));
  return hits.filter((h) => keep.has(h.visitor));
};
const visitorsOf = (list: Hit[]) => new Set(list.map((h) => h.visitor));

let dir: string;
let app: HttpServer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'product-filters-'));
  await writeRaw(join(dir, 'lake'), events, { duplicateEvery: 7 });
  const duckdb = await openDuckDb({ threads: 1 });
  app = await createServer({ logger: pino({ level: 'silent' }), title: 'product filters test', description: '', metrics: createMetricsRegistry('product_filters_test') });
  await app.register(async (scope) => {
    await registerProductRoutes(scope, {
      tenants: { resolveReadKey: async (key) => KEYS[key] ?? null },
      goals: createFileGoalStore(join(dir, 'goals.json')),
      lake: localObjectStore(join(dir, 'lake')),
      duckdb,
      now: () => NOW,
    });
  });
  app.addHook('onClose', async () => duckdb.close());
  await app.ready();
  const goal = await app.inject({ method: 'POST', url: '/v1/goals', headers: auth('read-acme'), payload: { name: 'Sign-up', kind: 'event', event: 'Signed Up' } });
  expect(goal.statusCode, goal.body).toBe(201);
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const span = `from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`;

describe('goals, funnels and retention cut by dimension filters', () => {
  it('reports goals over the visitors who match every filter on one event', async () => {
    for (const [query, want] of [
      ['filter=referrer:Google', { referrer: 'Google' }],
      ['filter=referrer:Google&filter=device:mobile', { referrer: 'Google', device: 'mobile' }],
    ] as const) {
      const res = await app.inject({ url: `/v1/goals/report?${span}&${query}`, headers: auth('read-acme') });
      expect(res.statusCode, res.body).toBe(200);
      const kept = ofMatchingVisitors(want);
      const converted = kept.filter((h) => h.event === 'Signed Up');
      const everyone = visitorsOf(kept).size;
      expect(converted.length).toBeGreaterThan(10);
      expect(everyone).toBeLessThan(visitorsOf(hits).size);
      expect(res.json().goals[0]).toMatchObject({ conversions: converted.length, visitors: visitorsOf(converted).size, rate: visitorsOf(converted).size / everyone, revenue: 0 });
    }
  });

  it('walks only the matching visitors through a funnel', async () => {
    const window = 60 * MINUTE;
    const kept = ofMatchingVisitors({ device: 'mobile' });
    let entered = 0;
    let finished = 0;
    for (const visitor of visitorsOf(kept)) {
      const mine = kept.filter((h) => h.visitor === visitor).sort((a, b) => a.time - b.time);
      const start = mine.find((h) => h.page === '/');
      if (!start) continue;
      entered++;
      if (mine.some((h) => h.event === 'Signed Up' && h.time > start.time && h.time <= start.time + window)) finished++;
    }
    const res = await app.inject({
      method: 'POST',
      url: '/v1/funnels?filter=device:mobile',
      headers: auth('read-acme'),
      payload: { from: new Date(FROM).toISOString(), to: new Date(TO).toISOString(), windowMinutes: 60, steps: [{ kind: 'page', path: '/' }, { kind: 'event', event: 'Signed Up' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(finished).toBeGreaterThan(5);
    expect(res.json().steps.map((s: { visitors: number }) => s.visitors)).toEqual([entered, finished]);
  });

  it('puts a visitor in a retention cohort when the filters hold on their first event', async () => {
    const first = new Map<string, Hit>();
    for (const h of [...hits].sort((a, b) => a.time - b.time)) if (!first.has(h.visitor)) first.set(h.visitor, h);
    const dayOf = (t: number) => Math.floor(t / DAY);
    const cohorts = new Map<number, Map<number, Set<string>>>();
    for (const h of hits) {
      const entry = first.get(h.visitor)!;
      if (entry.referrer !== 'Google') continue;
      const cohort = dayOf(entry.time);
      const byDay = cohorts.get(cohort) ?? cohorts.set(cohort, new Map()).get(cohort)!;
      const k = dayOf(h.time) - cohort;
      (byDay.get(k) ?? byDay.set(k, new Set()).get(k)!).add(h.visitor);
    }
    const expected = [...cohorts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([day, byDay]) => {
        const returning = Array.from({ length: Math.max(...byDay.keys()) + 1 }, (_, k) => byDay.get(k)?.size ?? 0);
        return { start: new Date(day * DAY).toISOString().slice(0, 10), size: returning[0], returning };
      });
    const res = await app.inject({ url: `/v1/retention?${span}&period=day&filter=referrer:Google`, headers: auth('read-acme') });
    expect(res.statusCode, res.body).toBe(200);
    expect(expected.length).toBeGreaterThan(2);
    expect(res.json().cohorts).toEqual(expected);
  });

  it('refuses a bad filter with the messages /v1/query gives, naming filter', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', `/v1/goals/report?${span}&filter=planet:Mars`, 'planet'],
      ['GET', `/v1/retention?${span}&filter=nocolon`, 'must be dimension:value'],
      ['POST', '/v1/funnels?filter=device:mobile&filter=device:desktop', 'device is filtered twice'],
    ];
    for (const [method, url, said] of cases) {
      const payload = { from: new Date(FROM).toISOString(), steps: [{ kind: 'page', path: '/' }, { kind: 'page', path: '/pricing' }] };
      const res = await app.inject({ method: method as 'GET', url, headers: auth('read-acme'), ...(method === 'POST' ? { payload } : {}) });
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(res.body).toContain('filter');
      expect(res.body).toContain(said);
    }
  });
});
