import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBatchViewStore, runBatch, type BatchViewStore } from '../../src/batch/index.ts';
import { compileGoals, METRICS, type AnalyticsEvent, type CompiledGoals, type GoalDefinition } from '../../src/contracts/index.ts';
import { batchViewsFromCoverage, createMemoryDriftStore, createServingLayer, reconcile } from '../../src/serving/index.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { PartitionBuffer } from '../../src/speed/index.ts';
import { VisitBook } from '../../src/speed/visit-book.ts';
import { pageView } from '../speed/events.fixture.ts';
import { writeRaw } from './batch.fixture.ts';

/**
 * A goal defined after the traffic it matches: the batch recomputes every day it holds from the
 * raw events (goals apply to history), the speed layer counts from the definition on, and the
 * merged answer shows both sides of the watermark as they are.
 */
const TENANT = 'goal-history';
const DAY = 86_400_000;
const FIRST = Date.parse('2026-11-20T00:00:00Z');
/** Two closed days for the batch; the third is today, the speed layer's alone. */
const NOW = FIRST + 2 * DAY + 12 * 3_600_000;
const DEFINED_AT = FIRST + 2 * DAY + 6 * 3_600_000;
const thanks: GoalDefinition = { id: 'thanks', kind: 'page', path: '/thanks*' };

// Every two hours one visit to /thanks and one elsewhere, each day.
const events: AnalyticsEvent[] = [];
for (let t = FIRST + 1_000; t < NOW; t += 2 * 3_600_000) {
  events.push(pageView(TENANT, new Date(t).toISOString(), { context: { page: { path: '/thanks/order' } } }));
  events.push(pageView(TENANT, new Date(t + 60_000).toISOString(), { context: { page: { path: '/pricing' } } }));
}
const perDay = (day: number) => events.filter((e) => e.context.page && (e.context.page as { path: string }).path.startsWith('/thanks') && Date.parse(e.timestamp) >= FIRST + day * DAY && Date.parse(e.timestamp) < FIRST + (day + 1) * DAY);

let lake: string;
let views: BatchViewStore;
let goals: GoalDefinition[] = [];
const run = () => runBatch({ lake, tenants: [TENANT], now: NOW, graceMs: 60_000, goals: async () => goals });

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'goal-history-'));
  await writeRaw(lake, events);
});
afterAll(async () => {
  await views?.close();
  await rm(lake, { recursive: true, force: true });
});

/** The merged goal conversions per day, and the goal metrics reconciliation flags, with the speed layer's goals per event. */
async function bothLayers(speedGoals: (event: AnalyticsEvent) => CompiledGoals) {
  const speed = createMemoryAggregateStore({ now: () => NOW });
  let goalsNow = compileGoals([]);
  const buffer = new PartitionBuffer(0, 0, METRICS, Number.MAX_SAFE_INTEGER / 4, new VisitBook(), () => goalsNow);
  events.forEach((event, i) => {
    goalsNow = speedGoals(event);
    buffer.add(i, event, NOW);
  });
  await speed.applyBatch([buffer.toBatch()]);
  views ??= createBatchViewStore({ lake });
  const serving = createServingLayer({ speed, batch: batchViewsFromCoverage(views), now: () => NOW });
  const outcome = await serving.query({ tenantId: TENANT, metric: METRICS.find((m) => m.name === 'goal_conversions')!, from: FIRST, to: FIRST + 3 * DAY, granularity: 'day', timeZone: 'UTC', limit: 10 });
  const report = await reconcile({ speed, batch: batchViewsFromCoverage(views), drift: createMemoryDriftStore({ now: () => NOW }), tenantId: TENANT, periods: [{ from: FIRST, to: NOW }], metrics: METRICS, now: NOW });
  await speed.close();
  if (!outcome.ok) throw new Error(outcome.error.message);
  return { perDay: outcome.value.series.map((p) => p.value), flagged: [...new Set(report.flagged.map((r) => r.metric))].sort() };
}

it('recomputes the days it holds when a goal is added, once; the merged answer counts today from the definition on, and reconciliation reports the gap', async () => {
  const first = await run();
  expect(first.periods.map((p) => p.date)).toEqual(['2026-11-20', '2026-11-21']);
  expect(first.regoaled).toEqual([]);

  // The goal is defined today at 06:00: the speed layer counts from then on.
  const fromDefinition = (event: AnalyticsEvent) => compileGoals(Date.parse(event.timestamp) >= DEFINED_AT ? [thanks] : []);
  const today = perDay(2).filter((e) => Date.parse(e.timestamp) >= DEFINED_AT).length;
  expect(today).toBeGreaterThan(0);
  // Until the batch has run again, the days before B show no conversions; the layers agree on them.
  expect(await bothLayers(fromDefinition)).toEqual({ perDay: [0, 0, today], flagged: [] });

  goals = [thanks];
  const second = await run();
  expect(second.regoaled).toEqual(['2026-11-20', '2026-11-21'].map((date) => ({ tenantId: TENANT, date })));
  // History counts the goal; the speed layer did not, and reconciliation reports it, until its cells expire.
  expect(await bothLayers(fromDefinition)).toEqual({ perDay: [perDay(0).length, perDay(1).length, today], flagged: ['goal_conversions', 'goal_visitors'] });
  // A speed layer that held the goal all along agrees with the batch.
  expect((await bothLayers(() => compileGoals([thanks]))).flagged).toEqual([]);

  const third = await run();
  expect(third.regoaled).toEqual([]);
  expect(third.periods).toEqual([]);

  // A changed pattern is a change too.
  goals = [{ ...thanks, path: '/thanks/order' }];
  expect((await run()).regoaled).toHaveLength(2);
}, 90_000);
