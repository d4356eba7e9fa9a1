import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRawObjects } from '../../src/archive/index.ts';
import { createBatchViewStore, runBatch, type BatchViewStore } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { findMetric, METRICS, type MetricDeclaration } from '../../src/contracts/metrics.ts';
import { type MetricQuery, type ServeOutcome, type ServedResult, batchViewsFromCoverage, createServingLayer, runQuery } from '../../src/serving/index.ts';
import { PartitionBuffer, createMemoryAggregateStore } from '../../src/speed/index.ts';
import { type AggregateStore, DEFAULT_RETENTION } from '../../src/contracts/index.ts';
import { createLocalObjectStore, type LocalObjectStore } from '../../src/storage/index.ts';
import { pageView } from '../speed/events.fixture.ts';

const TENANT = 'late';
const DAY = '2026-03-10';
const START = Date.parse(`${DAY}T00:00:00Z`);
const END = START + 86_400_000;
const GRACE = 5 * 60_000;
const HOUR = 3_600_000;

const metric = (name: string): MetricDeclaration => findMetric(name) ?? (() => { throw new Error(name); })();
const dayQuery = (name: string): MetricQuery => ({ tenantId: TENANT, metric: metric(name), from: START, to: END, granularity: 'hour', timeZone: 'UTC', limit: 10 });
const served = (outcome: ServeOutcome): ServedResult => {
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value;
};
/** What must agree with the speed layer's own answer: everything but freshness and the serving fields. */
const answer = ({ freshness: _f, watermark: _w, lagMs: _l, layers: _s, ...rest }: ServedResult) => rest;

// A late event end to end: the speed layer folds it as it folds every record (lateness judged at
// receivedAt), the archiver files it under its event time, and the next scheduled batch run must
// bring the closed day's view up to date, so the merged answer counts it exactly once.
describe('an event received after its day was computed', () => {
  let store: LocalObjectStore;
  let speed: AggregateStore;
  let views: BatchViewStore;
  let clock = END + GRACE + 1;
  let offset = 0;

  /** The log, seen by its two consumers: the speed layer's fold and the archiver's objects. */
  async function append(events: AnalyticsEvent[]): Promise<void> {
    const from = offset;
    offset += events.length;
    const buffer = new PartitionBuffer(0, from, METRICS, DEFAULT_RETENTION.minuteMs);
    events.forEach((event, i) => buffer.add(from + i, event, clock));
    expect(await speed.applyBatch([buffer.toBatch()])).toEqual(['applied']);
    const records = events.map((value, i) => ({ partition: 0, offset: from + i, key: value.tenantId, value }));
    for (const object of encodeRawObjects(0, from, offset, records)) await store.put(object.key, object.body);
  }
  const serving = () => createServingLayer({ speed, batch: batchViewsFromCoverage(views), now: () => clock });
  const scheduledRun = () => runBatch({ lake: store, tenants: [TENANT], now: clock, graceMs: GRACE });

  beforeAll(async () => {
    store = await createLocalObjectStore(await mkdtemp(join(tmpdir(), 'late-events-')));
    speed = createMemoryAggregateStore({ now: () => clock });
    views = createBatchViewStore({ lake: store });
    await append(Array.from({ length: 5 }, (_, i) => pageView(TENANT, `${DAY}T10:0${i}:00.000Z`, { userId: `on-time-${i}` })));
    const first = await scheduledRun();
    expect(first.periods.map((p) => p.date)).toEqual([DAY]);
    expect(first.watermarks[TENANT]).toBe(END);
  });
  afterAll(async () => {
    await views.close();
    await speed.close();
    await rm(store.rootDir, { recursive: true, force: true });
  });

  it('is in the merged answer after the next batch run, equal to the speed layer, and only one run recomputes the day', async () => {
    // Three hours after the day closed: within the speed layer's allowance (49 h), so it is counted there.
    clock = END + 3 * HOUR;
    await append([pageView(TENANT, `${DAY}T11:00:00.000Z`, { userId: 'late-user', receivedAt: new Date(clock).toISOString() })]);
    expect((await speed.tenantStatus(TENANT)).late).toBe(0);
    expect((await runQuery(speed, dayQuery('pageviews'), clock)).total.value).toBe(6);

    // Until the next run the day is answered from its view as computed: the bounded delay (ADR-0019).
    expect(served(await serving().query(dayQuery('pageviews'))).total.value).toBe(5);

    clock += 60_000;
    const run = await scheduledRun();
    expect(run.rechecked).toEqual([{ tenantId: TENANT, date: DAY }]);
    expect(run.periods.map((p) => [p.date, p.events, p.late])).toEqual([[DAY, 6, 1]]);
    expect(run.watermarks[TENANT]).toBe(END);

    for (const name of ['pageviews', 'events', 'unique_users', 'top_pages']) {
      const merged = served(await serving().query(dayQuery(name)));
      expect(merged.layers.map((l) => l.layer), name).toEqual(['batch']);
      const { freshness: _f, ...fromSpeed } = await runQuery(speed, dayQuery(name), clock);
      expect(answer(merged), name).toEqual(fromSpeed);
    }
    expect(served(await serving().query(dayQuery('pageviews'))).total.value).toBe(6);

    // Nothing arrived since: the next run lists the day again and leaves its view alone.
    clock += 60_000;
    const idle = await scheduledRun();
    expect(idle.periods).toEqual([]);
    expect(idle.rechecked).toEqual([]);
  });
});
