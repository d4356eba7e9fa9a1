import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchViewStore, runBatch, type BatchViewStore } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { type BatchViews, type Granularity, type ServeOutcome, batchViewsFromCoverage, createServingLayer } from '../../src/serving/index.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { TOPK_CELL_CAPACITY } from '../../src/contracts/aggregate-store.ts';
import { generateEvents, writeRaw } from '../batch/batch.fixture.ts';

const GRACE = 5 * 60_000;
const NOW = Date.parse('2026-03-10T01:00:00.000Z');

// The serving layer reads each local period's batch quarters as one merged reading when the batch
// can merge; the answers must be exactly those of reading quarter by quarter.
describe('merged batch reads', () => {
  let lake: string;
  let store: BatchViewStore;
  let reads: { merged: number; perBucket: number };
  let merged: BatchViews;
  let perBucket: BatchViews;

  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'merged-reads-'));
    const events: AnalyticsEvent[] = generateEvents('acme', 3000, '2026-03-06T00:00:00Z', '2026-03-09T23:50:00Z', 5, 60_000);
    // More distinct pages in one day than a top-K cell keeps, so summaries trim while merging.
    for (let i = 0; i < TOPK_CELL_CAPACITY + 300; i++) {
      const t = new Date(Date.parse('2026-03-07T00:00:00Z') + i * 60_000).toISOString();
      events.push({ tenantId: 'acme', messageId: `many-${i}`, type: 'page', timestamp: t, receivedAt: t, properties: {}, context: { page: { path: `/p/${i % 1200}` } }, isBot: false, userId: `v${i}` });
    }
    await writeRaw(lake, events);
    await runBatch({ lake, tenants: ['acme'], now: NOW, from: '2026-03-06', to: '2026-03-09', graceMs: GRACE });
    store = createBatchViewStore({ lake });
    const views = batchViewsFromCoverage(store);
    reads = { merged: 0, perBucket: 0 };
    merged = {
      ...views,
      read: (query) => views.read(query),
      readMerged: (query) => {
        reads.merged++;
        return views.readMerged!(query);
      },
    };
    perBucket = {
      watermark: (tenantId) => views.watermark(tenantId),
      missingPeriods: (tenantId, period) => views.missingPeriods(tenantId, period),
      read: (query) => {
        reads.perBucket++;
        return views.read(query);
      },
    };
  });
  afterAll(async () => {
    await store.close();
    await rm(lake, { recursive: true, force: true });
  });

  const answer = (outcome: ServeOutcome) => {
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value;
  };

  it.each(['UTC', 'Asia/Kathmandu', 'America/New_York'])('answers every metric by day and by hour as quarter-by-quarter reads do (%s)', async (timeZone) => {
    const speed = createMemoryAggregateStore({ now: () => NOW });
    try {
      const withMerge = createServingLayer({ speed, batch: merged, now: () => NOW });
      const without = createServingLayer({ speed, batch: perBucket, now: () => NOW });
      for (const metric of METRICS) {
        for (const granularity of ['day', 'hour'] as Granularity[]) {
          for (const breakdown of [undefined, metric.breakdowns[0]]) {
            const query = { tenantId: 'acme', metric, granularity, timeZone, from: Date.parse('2026-03-06T00:00:00Z'), to: Date.parse('2026-03-10T00:00:00Z'), limit: 50, breakdown };
            const [a, b] = [answer(await withMerge.query(query)), answer(await without.query(query))];
            expect(a.series.length).toBeGreaterThan(3);
            expect(a).toEqual(b);
          }
        }
      }
      expect(reads.merged).toBeGreaterThan(0);
      expect(reads.perBucket).toBeGreaterThan(0);
    } finally {
      await speed.close();
    }
  });

  it('merges a group as one reading and still reports a day without a view', async () => {
    const day = Array.from({ length: 96 }, (_, i) => Date.parse('2026-03-07T00:00:00Z') + i * 900_000);
    const [group] = await store.readMerged({ tenantId: 'acme', metric: 'events', kind: 'count', resolution: 'quarter', groups: [day] });
    const single = await store.read({ tenantId: 'acme', metric: 'events', kind: 'count', resolution: 'quarter', buckets: day });
    const sum = single.reduce((n, r) => n + (r.total?.kind === 'count' ? r.total.amount : 0), 0);
    expect(group?.total).toEqual({ kind: 'count', amount: sum });
    expect(sum).toBeGreaterThan(1000);
    await expect(store.readMerged({ tenantId: 'acme', metric: 'events', kind: 'count', resolution: 'quarter', groups: [[Date.parse('2026-03-12T00:00:00Z')]] })).rejects.toThrow(/No batch view/);
  });
});
