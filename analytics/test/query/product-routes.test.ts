import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { createFileGoalStore, watchGoals, type GoalCache } from '../../src/goals/index.ts';
import { registerProductRoutes } from '../../src/query/index.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { writeRaw } from '../batch/batch.fixture.ts';
import { auth, KEYS } from './query-app.fixture.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const event = (i: number, visitor: string, iso: string, extra: Partial<AnalyticsEvent>): AnalyticsEvent => ({
  tenantId: 'acme',
  messageId: `m${i}`,
  type: 'page',
  anonymousId: visitor,
  timestamp: iso,
  receivedAt: iso,
  properties: {},
  context: {},
  isBot: false,
  ...extra,
});

let dir: string;
let app: HttpServer;
let cache: GoalCache;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'product-routes-'));
  await writeRaw(join(dir, 'lake'), [
    event(1, 'a', '2026-11-25T08:00:00Z', { context: { page: { path: '/' } } }),
    event(2, 'a', '2026-11-25T08:05:00Z', { type: 'track', event: 'Order Completed', properties: { revenue: 19.99 } }),
    event(3, 'b', '2026-11-25T09:00:00Z', { context: { page: { path: '/' } } }),
    event(4, 'b', '2026-11-25T09:01:00Z', { type: 'track', event: 'Order Completed', properties: { revenue: '5.01' } }),
    event(5, 'c', '2026-11-25T09:30:00Z', { context: { page: { path: '/docs' } } }),
  ]);
  const duckdb = await openDuckDb({ threads: 1 });
  const goals = createFileGoalStore(join(dir, 'goals.json'));
  // Refreshed only when the routes say so: an hour-long period keeps the timer out of the test.
  cache = await watchGoals(goals, async () => ['acme', 'globex'], { everyMs: 3_600_000 });
  app = await createServer({ logger: pino({ level: 'silent' }), title: 'product routes test', description: '', metrics: createMetricsRegistry('product_routes_test') });
  await app.register(async (scope) => {
    await registerProductRoutes(scope, {
      tenants: { resolveReadKey: async (key) => KEYS[key] ?? null },
      goals,
      lake: localObjectStore(join(dir, 'lake')),
      duckdb,
      now: () => NOW,
      onGoalsChanged: (tenantId) => cache.refresh(tenantId),
    });
  });
  app.addHook('onClose', async () => duckdb.close());
  await app.ready();
});
afterAll(async () => {
  await cache.stop();
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('goals, funnels and retention over HTTP', () => {
  it('defines goals with the read key and reports conversions, rate and revenue with their freshness', async () => {
    const created = await app.inject({ method: 'POST', url: '/v1/goals', headers: auth('read-acme'), payload: { name: 'Purchase', kind: 'event', event: 'Order Completed' } });
    expect(created.statusCode, created.body).toBe(201);
    const report = await app.inject({ url: '/v1/goals/report?from=2026-11-25&to=2026-11-26', headers: auth('read-acme') });
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json();
    expect(body.goals[0]).toMatchObject({ goal: { name: 'Purchase' }, conversions: 2, visitors: 2, rate: 2 / 3, revenue: 2500 });
    expect(body.freshness).toEqual({ source: 'raw events', through: '2026-11-25T09:30:00.000Z', files: expect.any(Number) });
    // Another tenant neither sees nor deletes it.
    expect((await app.inject({ url: '/v1/goals', headers: auth('read-globex') })).json().goals).toEqual([]);
    const id = created.json().id as string;
    expect((await app.inject({ method: 'DELETE', url: `/v1/goals/${id}`, headers: auth('read-globex') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: `/v1/goals/${id}`, headers: auth('read-acme') })).statusCode).toBe(204);
  });

  it("hands the speed layer's goal cache each change at once", async () => {
    const order = event(9, 'a', '2026-11-25T10:00:00Z', { type: 'track', event: 'Order Completed', properties: { revenue: 1 } });
    const created = await app.inject({ method: 'POST', url: '/v1/goals', headers: auth('read-acme'), payload: { name: 'Purchase', kind: 'event', event: 'Order Completed' } });
    expect(cache.goalsOf('acme').completedBy(order)).toEqual([created.json().id]);
    expect(cache.goalsOf('globex').size).toBe(0);
    await app.inject({ method: 'DELETE', url: `/v1/goals/${created.json().id as string}`, headers: auth('read-acme') });
    expect(cache.goalsOf('acme').completedBy(order)).toEqual([]);
  });

  it('answers a funnel and retention cohorts', async () => {
    const funnel = await app.inject({
      method: 'POST',
      url: '/v1/funnels',
      headers: auth('read-acme'),
      payload: { from: '2026-11-25', to: '2026-11-26', windowMinutes: 2, steps: [{ kind: 'page', path: '/' }, { kind: 'event', event: 'Order Completed' }] },
    });
    expect(funnel.statusCode, funnel.body).toBe(200);
    // a took 5 minutes (outside the 2-minute window), b one minute.
    expect(funnel.json().steps).toEqual([
      { visitors: 2, dropOff: 0, conversion: 1 },
      { visitors: 1, dropOff: 1, conversion: 0.5 },
    ]);
    const retention = await app.inject({ url: '/v1/retention?from=2026-11-20&to=2026-11-26&period=day', headers: auth('read-acme') });
    expect(retention.json().cohorts).toEqual([{ start: '2026-11-25', size: 3, returning: [3] }]);
  });

  it('names the field at fault, refuses without a key', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/v1/goals', { name: 'x', kind: 'event' }, 'event'],
      ['POST', '/v1/goals', { name: 'x', kind: 'page', path: 'no-slash' }, 'path'],
      ['POST', '/v1/goals', { name: 'x', kind: 'page', path: '/a', extra: 1 }, 'extra'],
      ['POST', '/v1/funnels', { from: '2026-11-25', steps: [{ kind: 'page', path: '/' }] }, 'steps'],
      ['POST', '/v1/funnels', { from: 'soon', steps: [{ kind: 'page', path: '/' }, { kind: 'page', path: '/b' }] }, 'from'],
      ['GET', '/v1/retention?from=2026-01-01&to=2026-11-25', undefined, 'from'],
      ['GET', '/v1/retention?from=2026-11-20&period=month', undefined, 'period'],
      ['DELETE', '/v1/goals/not-a-uuid', undefined, 'id'],
    ];
    for (const [method, url, payload, field] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers: auth('read-acme'), ...(payload ? { payload: payload as object } : {}) });
      expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(400);
      expect(res.body).toContain(field);
    }
    expect((await app.inject({ url: '/v1/goals' })).statusCode).toBe(401);
  });
});
