import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { createMemoryDriftStore, createReconciliationMetrics, reconcile } from '../../src/serving/index.ts';
import { orderCompleted, pageView } from '../speed/events.fixture.ts';
import { QUARTER, layers } from './serving.fixture.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const B = NOW - 2 * HOUR;
const PERIOD = { from: NOW - 6 * HOUR, to: NOW };

/** Two views every 5 minutes from 06:00Z to 11:00Z, people cycling through eleven ids, and an order each hour. */
function traffic(): AnalyticsEvent[] {
  const events: AnalyticsEvent[] = [];
  for (let t = NOW - 6 * HOUR, i = 0; t < NOW - HOUR; t += 5 * 60_000, i++) {
    const at = new Date(t + 30_000).toISOString();
    events.push(pageView('acme', at, { userId: `u${i % 11}` }), pageView('acme', at, { userId: `u${(i + 5) % 11}` }));
    if (i % 12 === 0) events.push(orderCompleted('acme', at, '12.34'));
  }
  return events;
}

const opened: Array<{ close(): Promise<void> }> = [];
async function setup() {
  const l = layers(NOW);
  opened.push(l);
  const events = traffic();
  await l.toSpeed(events);
  await l.toBatch(events);
  l.batch.setWatermark('acme', B);
  const registry = new Registry();
  const observer = createReconciliationMetrics(registry);
  const drift = createMemoryDriftStore({ now: () => NOW });
  const run = () => reconcile({ speed: l.speed, batch: l.batch, drift, tenantId: 'acme', periods: [PERIOD], metrics: METRICS, now: NOW, observer });
  const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return { ...l, events, drift, run, metric };
}
afterEach(async () => {
  for (const l of opened.splice(0)) await l.close();
});

describe('reconciliation of the speed layer against the batch views', () => {
  it('compares every metric in each quarter both layers hold, and flags nothing when they agree', async () => {
    const { run, drift, metric } = await setup();
    const report = await run();
    // 06:00Z up to B (10:00Z): 16 quarters; nothing after B.
    expect(report.buckets).toEqual(Array.from({ length: 16 }, (_, i) => PERIOD.from + i * QUARTER));
    expect(report.records).toHaveLength(16 * METRICS.length);
    expect(report.flagged).toEqual([]);
    const views = report.records.filter((r) => r.metric === 'pageviews');
    expect(views.every((r) => r.speed === 6 && r.batch === 6 && r.drift === 0)).toBe(true);
    expect(report.records.some((r) => r.metric === 'unique_users' && r.batch === 6)).toBe(true);
    expect(await drift.list('acme', { from: PERIOD.from, to: PERIOD.to })).toHaveLength(16 * METRICS.length);
    expect((await metric('analytics_reconciliation_drift')).find((v) => v.labels.metric === 'pageviews')?.value).toBe(0);
    expect(await metric('analytics_reconciliation_flagged_periods_total')).toEqual([]);
  });

  it('flags an extra count in the speed layer with its metric and bucket, once', async () => {
    const { run, speed, drift, metric } = await setup();
    const bucket = PERIOD.from + 5 * QUARTER;
    await speed.applyBatch([
      {
        partition: 1,
        from: 0,
        to: 1,
        cells: [{ tenantId: 'acme', metric: 'pageviews', resolution: 'quarter', bucket, series: null, kind: 'count', amount: 1 }],
        tenants: [],
      },
    ]);
    const report = await run();
    expect(report.flagged.map((r) => [r.metric, r.bucket, r.speed, r.batch, r.drift])).toEqual([['pageviews', bucket, 7, 6, 1]]);
    await run();
    expect((await drift.list('acme', { ...PERIOD, flaggedOnly: true })).map((r) => [r.metric, r.bucket])).toEqual([['pageviews', bucket]]);
    const flaggedCount = await metric('analytics_reconciliation_flagged_periods_total');
    expect(flaggedCount).toEqual([expect.objectContaining({ labels: expect.objectContaining({ tenant: 'acme', metric: 'pageviews' }), value: 1 })]);
    expect((await metric('analytics_reconciliation_drift')).find((v) => v.labels.metric === 'pageviews')?.value).toBeCloseTo(1 / 6);
  });

  it('holds uniques to three standard errors of the batch exact distinct count', async () => {
    const { run, batch, events } = await setup();
    const first = PERIOD.from;
    const second = PERIOD.from + QUARTER;
    const people = (bucket: number) =>
      new Set(events.filter((e) => Math.floor(Date.parse(e.timestamp) / QUARTER) * QUARTER === bucket).map((e) => e.userId)).size;
    batch.setDistinctCount('acme', 'unique_users', first, people(first));
    batch.setDistinctCount('acme', 'unique_users', second, people(second) + 1); // the speed sketch missed one person
    const report = await run();
    const uniques = report.records.filter((r) => r.metric === 'unique_users');
    expect(uniques.find((r) => r.bucket === first)).toMatchObject({ speed: people(first), batch: people(first), flagged: false });
    expect(report.flagged.map((r) => [r.metric, r.bucket, r.drift])).toEqual([['unique_users', second, -1]]);
  });

  it('skips what only one layer holds: after B, expired from the speed layer, or a batch gap', async () => {
    const { run, batch } = await setup();
    batch.markMissing('acme', { from: PERIOD.from, to: PERIOD.from + HOUR });
    const report = await run();
    expect(report.buckets[0]).toBe(PERIOD.from + HOUR);
    const old = await reconcile({
      speed: (await setup()).speed,
      batch,
      drift: createMemoryDriftStore(),
      tenantId: 'acme',
      periods: [{ from: NOW - 40 * 24 * HOUR, to: NOW - 36 * 24 * HOUR }],
      metrics: METRICS,
      now: NOW,
    });
    expect(old.buckets).toEqual([]);
  });
});
