import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchViewStore, runBatch, type BatchRunResult } from '../../src/batch/index.ts';
import { generateEvents, writeRaw } from './batch.fixture.ts';

const GRACE = 5 * 60_000;
const NOW = Date.parse('2026-03-10T01:00:00Z');

describe('batch over raw data years apart', () => {
  let dir: string;
  let first: BatchRunResult;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sparse-days-'));
    // One day in 2020, one in 2026: 2,245 calendar days apart.
    await writeRaw(dir, [
      ...generateEvents('sparse', 50, '2020-01-15T08:00:00Z', '2020-01-15T20:00:00Z', 1, 0),
      ...generateEvents('sparse', 50, '2026-03-09T08:00:00Z', '2026-03-09T20:00:00Z', 2, 0),
    ]);
    first = await runBatch({ lake: dir, tenants: ['sparse'], now: NOW, graceMs: GRACE });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('computes the two days that have raw data, not the calendar between them, and B reaches the last closed day', () => {
    expect(first.periods.map((p) => p.date)).toEqual(['2020-01-15', '2026-03-09']);
    expect(first.watermarks.sparse).toBe(Date.parse('2026-03-10T00:00:00Z'));
  });

  it('serves the days between as real zeros, and a day before the first raw day as missing', async () => {
    const store = createBatchViewStore({ lake: dir });
    try {
      const gapDay = Date.parse('2023-06-01T12:00:00Z');
      const dataDay = Date.parse('2026-03-09T00:00:00Z');
      const gapAndData = await store.readChecked({ tenantId: 'sparse', metric: 'events', kind: 'count', resolution: 'quarter', buckets: [gapDay, dataDay] });
      expect(gapAndData.ok).toBe(true);
      const before = await store.readChecked({ tenantId: 'sparse', metric: 'events', kind: 'count', resolution: 'quarter', buckets: [Date.parse('2020-01-14T00:00:00Z')] });
      expect(before).toEqual({ ok: false, error: { code: 'BATCH.PERIOD_MISSING', tenantId: 'sparse', dates: ['2020-01-14'] } });
      const coverage = await store.coverage('sparse');
      expect(coverage.some((c) => c.start <= gapDay && gapDay < c.end)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('computes a day recorded empty once a late event arrives for it, and nothing else', async () => {
    await writeRaw(dir, generateEvents('sparse', 5, '2026-03-08T10:00:00Z', '2026-03-08T11:00:00Z', 3, 0), { partition: 7 });
    const again = await runBatch({ lake: dir, tenants: ['sparse'], now: NOW + 60_000, graceMs: GRACE });
    expect(again.periods.map((p) => p.date)).toEqual(['2026-03-08']);
    expect(again.rechecked).toEqual([{ tenantId: 'sparse', date: '2026-03-08' }]);
  });
});
