import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBatchViewStore, openDuckDb, runBatch, type BatchViewStore } from '../../src/batch/index.ts';
import { compileGoals, type AnalyticsEvent } from '../../src/contracts/index.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { createFileGoalStore, type Goal } from '../../src/goals/index.ts';
import { registerProductRoutes, registerQueryRoutes } from '../../src/query/index.ts';
import { batchViewsFromCoverage, createServingLayer } from '../../src/serving/index.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { PartitionBuffer } from '../../src/speed/partition-buffer.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { writeRaw } from '../batch/batch.fixture.ts';

const DAY = 86_400_000;
const NOW = Date.now();
/** Day 0 is the batch's, day 1 the speed layer's; the question spans both. */
const DAY0 = Math.floor(NOW / DAY) * DAY - 3 * DAY;
const iso = (offset: number) => new Date(DAY0 + offset).toISOString();
const KEYS = { 'read-acme': { id: 'acme', timeZone: 'UTC' } };
const GOALS: Goal[] = [
  { id: '00000000-0000-4000-8000-000000000001', tenantId: 'acme', name: 'Order', kind: 'event', event: 'Order Completed', createdAt: iso(0) },
  { id: '00000000-0000-4000-8000-000000000002', tenantId: 'acme', name: 'Docs', kind: 'page', path: '/docs/*', createdAt: iso(0) },
];

let n = 0;
const event = (at: number, anonymousId: string, userId: string | undefined, extra: Partial<AnalyticsEvent>): AnalyticsEvent => ({
  tenantId: 'acme',
  messageId: `m${++n}`,
  type: 'page',
  anonymousId,
  ...(userId ? { userId } : {}),
  timestamp: iso(at),
  receivedAt: iso(at),
  properties: {},
  context: {},
  isBot: false,
  ...extra,
});
const order = { type: 'track', event: 'Order Completed', properties: { revenue: 10 } } as const;
const docs = { context: { page: { path: '/docs/start' } } };
const H = 3_600_000;

/**
 * Visitor `a` orders anonymously, signs in as `ann` and orders again later the same day and the
 * next (same anonymousId throughout): one visit identity, two people. `b` is signed in from the
 * start; `c` reads the docs on both days; `d` never converts.
 */
const EVENTS: AnalyticsEvent[] = [
  event(1 * H, 'a', undefined, order),
  event(2 * H, 'a', undefined, { type: 'identify' }),
  event(3 * H, 'a', 'ann', order),
  event(4 * H, 'b', 'bob', order),
  event(5 * H, 'c', undefined, docs),
  event(6 * H, 'd', undefined, {}),
  event(DAY + 1 * H, 'a', 'ann', order),
  event(DAY + 2 * H, 'a', 'ann', docs),
  event(DAY + 3 * H, 'c', undefined, docs),
  event(DAY + 4 * H, 'e', undefined, {}),
];

/** The metric's identity, in plain code: the person (userId, else anonymousId). */
const person = (e: AnalyticsEvent) => e.userId ?? e.anonymousId!;
function truth(events: readonly AnalyticsEvent[]) {
  const converting = (goal: Goal) => events.filter((e) => (goal.kind === 'event' ? e.type === 'track' && e.event === goal.event : e.type === 'page' && (e.context.page as { path?: string } | undefined)?.path?.startsWith('/docs/')));
  const everyone = new Set(events.map(person)).size;
  return Object.fromEntries(GOALS.map((g) => [g.id, { visitors: new Set(converting(g).map(person)).size, rate: new Set(converting(g).map(person)).size / everyone }]));
}

let dir: string;
let app: HttpServer;
let views: BatchViewStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goal-visitors-agree-'));
  const lake = join(dir, 'lake');
  await writeRaw(lake, EVENTS);
  const goals = createFileGoalStore(join(dir, 'goals.json'));
  for (const goal of GOALS) await goals.add(goal, 50);
  const day0 = iso(0).slice(0, 10);
  await runBatch({ lake, tenants: ['acme'], now: NOW, from: day0, to: day0, graceMs: 60_000, goals: async () => GOALS });
  views = createBatchViewStore({ lake });
  const speed = createMemoryAggregateStore({ now: () => NOW });
  const buffer = new PartitionBuffer(0, 0, METRICS, Number.MAX_SAFE_INTEGER / 4, undefined, () => compileGoals(GOALS));
  EVENTS.filter((e) => Date.parse(e.timestamp) >= DAY0 + DAY).forEach((e, i) => buffer.add(i, e, NOW));
  await speed.applyBatch([buffer.toBatch()]);
  const duckdb = await openDuckDb({ threads: 1 });
  app = await createServer({ logger: pino({ level: 'silent' }), title: 'goal visitors agree', description: '', metrics: createMetricsRegistry('goal_visitors_agree') });
  const tenants = { resolveReadKey: async (key: string) => KEYS[key as keyof typeof KEYS] ?? null };
  await app.register(async (scope) => {
    const serving = createServingLayer({ speed, batch: batchViewsFromCoverage(views), now: () => NOW });
    await registerQueryRoutes(scope, { store: speed, serving, tenants, now: () => NOW });
    await registerProductRoutes(scope, { tenants, goals, lake: localObjectStore(lake), duckdb, now: () => NOW });
  });
  app.addHook('onClose', async () => {
    duckdb.close();
    await views.close();
    await speed.close();
  });
  await app.ready();
}, 120_000);
afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = async (url: string) => {
  const res = await app.inject({ url, headers: { authorization: 'Bearer read-acme' } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** Per goal: converting people and rate as the report states them. */
async function reportOf(from: string, to: string) {
  const report = await get(`/v1/goals/report?from=${from}&to=${to}`);
  return Object.fromEntries(report.goals.map((g: { goal: { id: string }; visitors: number; rate: number }) => [g.goal.id, { visitors: g.visitors, rate: g.rate }]));
}

/** Per goal: goal_visitors and goal_conversion_rate over the whole span, each goal alone by filter. */
async function metricsOf(from: string, to: string) {
  const span = `granularity=day&tz=UTC&from=${from}&to=${to}`;
  const answer: Record<string, { visitors: number; rate: number }> = {};
  for (const goal of GOALS) {
    const visitors = await get(`/v1/query?metric=goal_visitors&filter=goal:${goal.id}&${span}`);
    const rate = await get(`/v1/query?metric=goal_conversion_rate&filter=goal:${goal.id}&${span}`);
    answer[goal.id] = { visitors: visitors.total.value, rate: rate.total.value };
  }
  return answer;
}

it('the goal report and goal_visitors count the same people, over a batch day, a speed day and both', async () => {
  const spans = [
    { from: 0, to: DAY, events: EVENTS.filter((e) => Date.parse(e.timestamp) < DAY0 + DAY) },
    { from: DAY, to: 2 * DAY, events: EVENTS.filter((e) => Date.parse(e.timestamp) >= DAY0 + DAY) },
    { from: 0, to: 2 * DAY, events: EVENTS },
  ];
  // A visitor who signs in is one visit identity and two people: the two identities give different figures here.
  expect(truth(EVENTS)[GOALS[0]!.id]!.visitors).toBe(3);
  expect(new Set(EVENTS.filter((e) => e.event === 'Order Completed').map((e) => e.anonymousId)).size).toBe(2);
  for (const span of spans) {
    const expected = { span: span.from / DAY, ...truth(span.events) };
    expect({ span: span.from / DAY, ...(await reportOf(iso(span.from), iso(span.to))) }).toEqual(expected);
    expect({ span: span.from / DAY, ...(await metricsOf(iso(span.from), iso(span.to))) }).toEqual(expected);
  }
  // The dashboard's breakdown by goal, day by day, says the same.
  const query = await get(`/v1/query?metric=goal_visitors&breakdown=goal&granularity=day&tz=UTC&from=${iso(0)}&to=${iso(2 * DAY)}`);
  expect(query.layers.map((l: { layer: string }) => l.layer)).toEqual(['batch', 'speed']);
  const byDay = query.series.map((p: { breakdown?: Record<string, number> }) => Object.fromEntries(GOALS.map((g) => [g.id, p.breakdown?.[g.id] ?? 0])));
  expect(byDay).toEqual(spans.slice(0, 2).map((s) => Object.fromEntries(Object.entries(truth(s.events)).map(([id, t]) => [id, t.visitors]))));
});
