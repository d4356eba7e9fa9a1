import { createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchViewStore } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { compileGoals, type AggregateStore, type GoalDefinition } from '../../src/contracts/index.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import { registerQueryRoutes } from '../../src/query/index.ts';
import { batchViewsFromCoverage, createServingLayer } from '../../src/serving/index.ts';
import { PartitionBuffer } from '../../src/speed/index.ts';
import { VisitBook } from '../../src/speed/visit-book.ts';
import { groundTruthSetting } from './serving.fixture.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
const DAYS = 4;
const PAGES = ['/', '/pricing', '/blog/launch', '/blog/2026/notes', '/blogroll', '/signup/thanks', '/signup/thanks/again', '/100%_off', '/100x_off', '/docs'];
const PLANS: Array<string | number | boolean> = ['pro', 'free', 'Pro', 2, '2', 2.5, true];

/** Each tenant's goals: exact and wildcard paths (with LIKE's own % and _ in them), events with and without property values. */
const GOALS: Record<string, GoalDefinition[]> = {
  'gt-goals-a': [
    { id: 'thanks', kind: 'page', path: '/signup/thanks' },
    { id: 'signup-pages', kind: 'page', path: '/signup/*' },
    { id: 'blog', kind: 'page', path: '/blog/*' },
    { id: 'sale', kind: 'page', path: '/100%_*' },
    { id: 'pro-signup', kind: 'event', event: 'Signed Up', properties: { plan: 'pro' } },
    { id: 'two-seats', kind: 'event', event: 'Signed Up', properties: { plan: 2, trial: true } },
    { id: 'order', kind: 'event', event: 'Order Completed' },
  ],
  'gt-goals-b': [
    { id: 'any-page', kind: 'page', path: '*' },
    { id: 'spring-order', kind: 'event', event: 'Order Completed', properties: { coupon: 'spring' } },
    { id: 'order', kind: 'event', event: 'Order Completed' },
  ],
};
const TENANTS = Object.keys(GOALS);
const compiled = Object.fromEntries(TENANTS.map((t) => [t, compileGoals(GOALS[t]!)]));

/**
 * Made-up traffic: per day, visitors (some logged in) with a few page views, screen views, sign
 * ups with varied plan values and orders with decimal revenues, plus bots and identify calls that
 * must never convert. The expected figures are counted from these events by the plain code below,
 * never by the code under test.
 */
function traffic(tenantId: string, seed: number): AnalyticsEvent[] {
  const r = seededRandom(seed);
  const events: AnalyticsEvent[] = [];
  for (let day = 0; day < DAYS; day++) {
    for (let v = 0; v < 90; v++) {
      const anonymousId = `${tenantId}-anon-${v}`;
      const userId = v % 3 === 0 ? `${tenantId}-user-${v % 30}` : undefined;
      let time = FIRST_DAY + day * DAY + r.below(20 * 60) * MINUTE;
      for (let n = 1 + r.below(8); n > 0; n--) {
        time += r.below(30) * MINUTE + r.below(MINUTE);
        const iso = new Date(time).toISOString();
        const base = { tenantId, messageId: `${tenantId}-${events.length}`, anonymousId, ...(userId ? { userId } : {}), timestamp: iso, receivedAt: iso, isBot: r() < 0.05 };
        const kind = r();
        const path = r.pick(PAGES);
        if (kind < 0.55) events.push({ ...base, type: r() < 0.85 ? 'page' : 'screen', properties: {}, context: r() < 0.8 ? { page: { path } } : {}, ...(r() < 0.2 ? { properties: { path } } : {}) });
        else if (kind < 0.75) events.push({ ...base, type: 'track', event: 'Signed Up', properties: { plan: r.pick(PLANS), ...(r() < 0.5 ? { trial: r() < 0.7 } : {}) }, context: { page: { path: '/signup' } } });
        else if (kind < 0.9) {
          const cents = 100 + r.below(20_000);
          const revenue = r() < 0.5 ? (cents / 100).toFixed(2) : cents / 100;
          events.push({ ...base, type: 'track', event: 'Order Completed', properties: { revenue, ...(r() < 0.5 ? { coupon: r.pick(['spring', 'fall']) } : {}) }, context: {} });
        } else events.push({ ...base, type: 'identify', properties: {}, context: { page: { path: '/signup/thanks' } } });
      }
    }
  }
  events.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  return events;
}

// ── The truth, in plain code over the generated events ──
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function completes(event: AnalyticsEvent, goal: GoalDefinition): boolean {
  if (event.isBot) return false;
  if (goal.kind === 'page') {
    if (event.type !== 'page' && event.type !== 'screen') return false;
    const page = (event.context.page as { path?: string } | undefined)?.path || (event.properties.path as string | undefined);
    return typeof page === 'string' && new RegExp(`^${goal.path!.split('*').map(escape).join('.*')}$`, 's').test(page);
  }
  if (event.type !== 'track' || event.event !== goal.event) return false;
  return Object.entries(goal.properties ?? {}).every(([k, want]) => event.properties[k] !== undefined && String(event.properties[k]) === String(want));
}
const person = (e: AnalyticsEvent) => e.userId ?? e.anonymousId!;
const cents = (e: AnalyticsEvent) => (e.properties.revenue === undefined ? 0 : Math.round(Number(e.properties.revenue) * 100));

function truthOf(tenantId: string, events: readonly AnalyticsEvent[], day: number) {
  const those = events.filter((e) => Date.parse(e.timestamp) >= FIRST_DAY + day * DAY && Date.parse(e.timestamp) < FIRST_DAY + (day + 1) * DAY);
  const goals = GOALS[tenantId]!;
  const converting = those.filter((e) => goals.some((g) => completes(e, g)));
  const perGoal = (f: (hits: AnalyticsEvent[]) => number): Record<string, number> =>
    Object.fromEntries(goals.map((g) => [g.id, f(those.filter((e) => completes(e, g)))] as const).filter(([, n]) => n !== 0));
  const visitors = those.filter((e) => !e.isBot).map(person);
  return {
    goal_conversions: { total: converting.length, byGoal: perGoal((hits) => hits.length) },
    goal_visitors: { total: new Set(converting.map(person)).size, byGoal: perGoal((hits) => new Set(hits.map(person)).size) },
    goal_revenue: { total: converting.reduce((n, e) => n + cents(e), 0), byGoal: perGoal((hits) => hits.reduce((n, e) => n + cents(e), 0)) },
    uniqueVisitors: new Set(visitors).size,
  };
}

/** The batch holds the first two UTC days; the last two are the speed layer's alone. */
const setting = await groundTruthSetting('goals-truth', { batchDays: 2, tenants: TENANTS, events: () => data.flatMap((d) => d.events), goals: async (t) => GOALS[t]! });
const { now: NOW, firstDay: FIRST_DAY } = setting;
const data = TENANTS.map((tenantId, i) => ({ tenantId, events: traffic(tenantId, 40 + i) }));
const KEYS = Object.fromEntries(TENANTS.map((t) => [`read-${t}`, { id: t, timeZone: 'UTC' }]));
const range = `granularity=day&tz=UTC&from=${new Date(FIRST_DAY).toISOString()}&to=${new Date(FIRST_DAY + DAYS * DAY).toISOString()}&limit=50`;

interface Answer {
  series: Array<{ value: number; breakdown?: Record<string, number> }>;
  total: { value: number };
  layers?: Array<{ layer: string }>;
}

/** The speed layer's fold over the events in arrival order, with each tenant's goals. */
function foldSpeed(events: readonly AnalyticsEvent[]) {
  const buffer = new PartitionBuffer(0, 0, METRICS, Number.MAX_SAFE_INTEGER / 4, new VisitBook(), (tenantId) => compiled[tenantId] ?? compileGoals([]));
  events.forEach((event, i) => buffer.add(i, event, NOW));
  return buffer.toBatch();
}

async function queryApp(store: AggregateStore, views?: BatchViewStore): Promise<HttpServer> {
  const app = await createServer({ logger: pino({ level: 'silent' }), title: 'goals truth', description: '', metrics: createMetricsRegistry('goals_truth') });
  const serving = views ? createServingLayer({ speed: store, batch: batchViewsFromCoverage(views), now: () => NOW }) : undefined;
  await app.register(async (scope) => {
    await registerQueryRoutes(scope, { store, ...(serving ? { serving } : {}), tenants: { resolveReadKey: async (key) => KEYS[key] ?? null }, now: () => NOW });
  });
  await app.ready();
  return app;
}

async function ask(app: HttpServer, tenantId: string, params: string): Promise<Answer> {
  const res = await app.inject({ url: `/v1/query?${params}&${range}`, headers: { authorization: `Bearer read-${tenantId}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Answer>();
}

const nonZero = (breakdown: Record<string, number> | undefined) => Object.fromEntries(Object.entries(breakdown ?? {}).filter(([, n]) => n !== 0));

/** Every goal metric per day, total and by goal, each goal alone by filter, and the conversion rate by goal. */
async function expectTruth(app: HttpServer, layers: string[]) {
  for (const { tenantId, events } of data) {
    const truth = Array.from({ length: DAYS }, (_, day) => truthOf(tenantId, events, day));
    for (const metric of ['goal_conversions', 'goal_visitors', 'goal_revenue'] as const) {
      const answer = await ask(app, tenantId, `metric=${metric}&breakdown=goal`);
      expect((answer.layers ?? []).map((l) => l.layer)).toEqual(layers);
      const got = answer.series.map((p) => ({ total: p.value, byGoal: nonZero(p.breakdown) }));
      expect({ tenantId, metric, got }).toEqual({ tenantId, metric, got: truth.map((t) => t[metric]) });
      for (const goal of GOALS[tenantId]!) {
        const alone = await ask(app, tenantId, `metric=${metric}&filter=goal:${goal.id}`);
        expect({ tenantId, metric, goal: goal.id, got: alone.series.map((p) => p.value) }).toEqual({ tenantId, metric, goal: goal.id, got: truth.map((t) => t[metric].byGoal[goal.id] ?? 0) });
      }
    }
    const rate = await ask(app, tenantId, 'metric=goal_conversion_rate&breakdown=goal');
    rate.series.forEach((point, day) => {
      const t = truth[day]!;
      const expected = Object.fromEntries(Object.entries(t.goal_visitors.byGoal).map(([id, n]) => [id, n / t.uniqueVisitors]));
      expect({ tenantId, day, value: point.value, byGoal: nonZero(point.breakdown) }).toEqual({ tenantId, day, value: t.goal_visitors.total / t.uniqueVisitors, byGoal: expected });
    });
  }
}


it('generates conversions of every goal, events completing two goals at once, and bots that would convert', () => {
  for (const { tenantId, events } of data) {
    for (const goal of GOALS[tenantId]!) expect({ goal: goal.id, hits: events.filter((e) => completes(e, goal)).length > 20 }).toEqual({ goal: goal.id, hits: true });
    expect(events.filter((e) => GOALS[tenantId]!.filter((g) => completes(e, g)).length >= 2).length).toBeGreaterThan(10);
    expect(events.filter((e) => e.isBot && GOALS[tenantId]!.some((g) => completes({ ...e, isBot: false }, g))).length).toBeGreaterThan(5);
  }
});

describe.each(setting.speedStores)('goal metrics against the ground truth ($name)', ({ skip, open }) => {
  let speed: AggregateStore;
  let speedOnly: HttpServer;
  let merged: HttpServer;

  beforeAll(async () => {
    if (skip) return;
    speed = open();
    for (const d of data) await speed.applyCells([foldSpeed(d.events)]);
    speedOnly = await queryApp(speed);
    merged = await queryApp(speed, setting.views());
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    await speedOnly.close();
    await merged.close();
    await speed.close();
    await setting.clearRedis();
  });

  it.skipIf(skip)('answers /v1/query from the speed layer alone exactly, before any batch', async () => {
    await expectTruth(speedOnly, []);
  });

  it.skipIf(skip)('answers /v1/query exactly through the serving layer, batch days and speed days alike', async () => {
    await expectTruth(merged, ['batch', 'speed']);
  });
});
