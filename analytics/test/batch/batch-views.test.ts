import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchViewError, createBatchViewStore, runBatch, viewKey, watermarkKey } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { seriesBuckets } from '../../src/serving/series-buckets.ts';
import { localDate, localTime } from '../../src/calendar/time-zone.ts';
import type { CellValue } from '../../src/contracts/aggregate-store.ts';
import { generateEvents, memoryLake, writeRaw } from './batch.fixture.ts';

const DAY_MS = 86_400_000;
const GRACE = 5 * 60_000;
const amount = (cell: CellValue | null) => (cell && 'amount' in cell ? cell.amount : NaN);

describe('batch views read through BatchViewStore', () => {
  let dir: string;
  let events: AnalyticsEvent[];
  // 2026-03-08: New York springs forward (a 23-hour local day). Kathmandu is +5:45 all year.
  const from = '2026-03-06';
  const to = '2026-03-10';
  const now = Date.parse('2026-03-11T00:05:00.001Z');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'batch-views-'));
    events = generateEvents('zone', 4000, '2026-03-06T00:00:00Z', '2026-03-10T23:59:59Z', 3, 60_000);
    await writeRaw(dir, events);
    await runBatch({ lake: dir, tenants: ['zone'], now, graceMs: GRACE });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each(['America/New_York', 'Asia/Kathmandu', 'Asia/Kolkata'])('sums quarter hours into the exact local days of %s', async (timeZone) => {
    const store = createBatchViewStore({ lake: dir });
    try {
      // Local days wholly inside the computed UTC days.
      const series = seriesBuckets({ from: Date.parse('2026-03-07T00:00:00Z'), to: Date.parse('2026-03-10T00:00:00Z'), granularity: 'day', timeZone }).filter(
        (b) => b.start >= Date.parse(`${from}T00:00:00Z`) && b.end <= Date.parse(`${to}T00:00:00Z`) + DAY_MS,
      );
      expect(series.length).toBeGreaterThanOrEqual(3);
      const buckets = series.flatMap((b) => b.sources);
      const readings = await store.read({ tenantId: 'zone', metric: 'bots', kind: 'count', resolution: 'quarter', buckets });
      const byBucket = new Map(buckets.map((b, i) => [b, readings[i]!]));
      const actual = series.map((b) => [localDate(localTime(b.start, timeZone)), b.sources.reduce((n, s) => n + amount(byBucket.get(s)!.total), 0)]);
      const expected = series.map((b) => [
        localDate(localTime(b.start, timeZone)),
        events.filter((e) => e.isBot && Date.parse(e.timestamp) >= b.start && Date.parse(e.timestamp) < b.end).length,
      ]);
      expect(actual).toEqual(expected);
      if (timeZone === 'America/New_York') expect(series.find((b) => localDate(localTime(b.start, timeZone)) === '2026-03-08')?.sources).toHaveLength(92);
    } finally {
      await store.close();
    }
  });

  it('reads a quarter hour without events as a real zero, and a day without a view as a typed error', async () => {
    const store = createBatchViewStore({ lake: dir });
    try {
      const quiet = Date.parse('2026-03-08T12:00:00Z');
      const result = await store.readChecked({ tenantId: 'zone', metric: 'events', kind: 'count', resolution: 'quarter', buckets: [quiet, Date.parse('2026-03-12T00:00:00Z')] });
      expect(result).toEqual({ ok: false, error: { code: 'BATCH.PERIOD_MISSING', tenantId: 'zone', dates: ['2026-03-12'] } });
      await expect(store.read({ tenantId: 'zone', metric: 'events', kind: 'count', resolution: 'minute', buckets: [quiet] })).rejects.toBeInstanceOf(BatchViewError);
    } finally {
      await store.close();
    }
    const lake = await mkdtemp(join(tmpdir(), 'batch-zero-'));
    const sparse = createBatchViewStore({ lake });
    try {
      // Events on the 6th and the 8th only: the 7th (closed, between them) is recorded empty and reads as zero.
      await writeRaw(lake, events.filter((e) => !e.timestamp.startsWith('2026-03-07') && !e.receivedAt.startsWith('2026-03-07') && e.timestamp < '2026-03-09'));
      await runBatch({ lake, tenants: ['zone'], now: Date.parse('2026-03-09T00:05:00.001Z'), graceMs: GRACE });
      const bucket = Date.parse('2026-03-07T12:00:00Z');
      const [count] = await sparse.read({ tenantId: 'zone', metric: 'events', kind: 'count', resolution: 'quarter', buckets: [bucket] });
      expect(count?.total).toEqual({ kind: 'count', amount: 0 });
      const [unique] = await sparse.read({ tenantId: 'zone', metric: 'unique_users', kind: 'unique', resolution: 'quarter', buckets: [bucket] });
      expect(unique?.total?.kind === 'unique' && unique.total.sketch.estimate()).toBe(0);
      expect((await sparse.coverage('zone')).map((p) => p.date)).toEqual(['2026-03-06', '2026-03-07', '2026-03-08']);
      expect(await sparse.watermark('zone')).toBe(Date.parse('2026-03-09T00:00:00Z'));
    } finally {
      await sparse.close();
      await rm(lake, { recursive: true, force: true });
    }
  });
});

describe('batch view cache', () => {
  it('serves repeated reads from memory and sees a recomputed day at once', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'batch-cache-'));
    const store = createBatchViewStore({ lake });
    try {
      const day = '2026-03-06';
      const at = (t: string, id: string, user: string): AnalyticsEvent => ({ tenantId: 'cache', messageId: id, type: 'track', event: 'E', userId: user, timestamp: t, receivedAt: t, properties: {}, context: {}, isBot: false });
      const bucket = Date.parse(`${day}T10:00:00Z`);
      await writeRaw(lake, [at(`${day}T10:01:00.000Z`, 'a', 'u1')]);
      const run = () => runBatch({ lake, tenants: ['cache'], now: Date.parse('2026-03-07T00:05:00.001Z'), from: day, to: day, graceMs: GRACE });
      await run();
      const read = async () => {
        const [events] = await store.read({ tenantId: 'cache', metric: 'events', kind: 'count', resolution: 'quarter', buckets: [bucket] });
        const [users] = await store.read({ tenantId: 'cache', metric: 'unique_users', kind: 'unique', resolution: 'quarter', buckets: [bucket] });
        return [amount(events!.total), users?.total?.kind === 'unique' ? Math.round(users.total.sketch.estimate()) : NaN];
      };
      expect(await read()).toEqual([1, 1]);
      // Readers get their own cells: merging into one must not leak into the next read.
      const [users] = await store.read({ tenantId: 'cache', metric: 'unique_users', kind: 'unique', resolution: 'quarter', buckets: [bucket] });
      if (users?.total?.kind === 'unique') users.total.sketch.add('someone else');
      expect(await read()).toEqual([1, 1]);
      // A recompute over more raw data replaces the file: the same store answers the new numbers.
      await writeRaw(lake, [at(`${day}T10:02:00.000Z`, 'b', 'u2'), at(`${day}T10:03:00.000Z`, 'c', 'u3')], { partition: 1 });
      await run();
      expect(await read()).toEqual([3, 3]);
    } finally {
      await store.close();
      await rm(lake, { recursive: true, force: true });
    }
  });
});

describe('watermark', () => {
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const event = (t: string, id: string): AnalyticsEvent => ({ tenantId: 'wm', messageId: id, type: 'track', event: 'E', timestamp: t, receivedAt: t, properties: {}, context: {}, isBot: false });

  it('advances only over closed periods, after their views are written, through any ObjectStore', async () => {
    const lake = memoryLake();
    const raw = await mkdtemp(join(tmpdir(), 'batch-wm-'));
    try {
      await writeRaw(raw, [event('2026-03-08T10:00:00.000Z', 'a'), event('2026-03-09T23:58:00.000Z', 'b')]);
      // Copy the raw layout into the in-memory store (no localPath: the download path).
      const { localObjectStore } = await import('../../src/storage/index.ts');
      const local = localObjectStore(raw);
      for (const key of await local.list('raw/')) await lake.put(key, (await local.get(key))!);
      lake.puts.length = 0;

      // Within the grace after the 9th: only the 8th is closed.
      let result = await runBatch({ lake, tenants: ['wm'], now: day('2026-03-10') + GRACE, graceMs: GRACE });
      expect(result.periods.map((p) => p.date)).toEqual(['2026-03-08']);
      expect(result.watermarks.wm).toBe(day('2026-03-09'));
      // The columnar copy and its stamp go after the view, before the stats that mark the day done.
      expect(lake.puts).toEqual([
        viewKey('wm', '2026-03-08'),
        'columnar/tenant=wm/date=2026-03-08/events.parquet',
        'columnar/tenant=wm/date=2026-03-08/copy.json',
        'views/tenant=wm/date=2026-03-08/stats.json',
        watermarkKey('wm'),
      ]);

      // A view that cannot be written leaves B where it was.
      const failing = memoryLake({ failPut: (key) => key.endsWith('cells.parquet') });
      for (const [key, body] of lake.objects) failing.objects.set(key, body);
      await expect(runBatch({ lake: failing, tenants: ['wm'], now: day('2026-03-10') + GRACE + 1, graceMs: GRACE })).rejects.toThrow(/put failed/);
      expect(new TextDecoder().decode(failing.objects.get(watermarkKey('wm')))).toContain('2026-03-09T00:00:00.000Z');

      // Past the grace the 9th closes, and its late-but-in-grace event is counted.
      result = await runBatch({ lake, tenants: ['wm'], now: day('2026-03-10') + GRACE + 1, graceMs: GRACE });
      expect(result.periods.map((p) => [p.date, p.events])).toEqual([['2026-03-09', 1]]);
      expect(result.watermarks.wm).toBe(day('2026-03-10'));
      const store = createBatchViewStore({ lake });
      try {
        expect(await store.watermark('wm')).toBe(day('2026-03-10'));
        const [cell] = await store.read({ tenantId: 'wm', metric: 'events', kind: 'count', resolution: 'quarter', buckets: [Date.parse('2026-03-09T23:45:00Z')] });
        expect(cell?.total).toEqual({ kind: 'count', amount: 1 });
      } finally {
        await store.close();
      }
    } finally {
      await rm(raw, { recursive: true, force: true });
    }
  });
});
