import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RECHECK_DAYS, type LakeStore, runBatch, viewKey } from '../../src/batch/index.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { generateEvents, memoryLake, writeRaw } from './batch.fixture.ts';

const GRACE = 5 * 60_000;
const HOUR = 3_600_000;
const closeOf = (date: string) => Date.parse(`${date}T00:00:00Z`) + 86_400_000 + GRACE + 1;
const DAYS = ['2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09'];
const statsKey = (date: string) => `views/tenant=acme/date=${date}/stats.json`;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Writes `events` in the archiver's layout (as partition `partition`'s objects) into `lake`. */
async function archive(lake: LakeStore, events: AnalyticsEvent[], partition: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'late-arrivals-'));
  dirs.push(dir);
  await writeRaw(dir, events, { partition, perFile: 400 });
  const local = localObjectStore(dir);
  for (const key of await local.list('raw/')) await lake.put(key, (await local.get(key))!);
}

const views = async (lake: ReturnType<typeof memoryLake>) => new Map(DAYS.map((d) => [d, Buffer.from(lake.objects.get(viewKey('acme', d))!)]));

/** Events of `date` received three hours after the day closed. */
const lateOn = (date: string, seed: number) =>
  generateEvents('acme', 40, `${date}T08:00:00Z`, `${date}T20:00:00Z`, seed, 0).map((e) => ({ ...e, receivedAt: new Date(closeOf(date) + 3 * HOUR).toISOString() }));

describe('a batch run and events that arrive after their day was computed', () => {
  it('recomputes exactly the recent days before B whose raw objects changed, into the bytes a run over all the data writes', async () => {
    const onTime = generateEvents('acme', 3000, `${DAYS[0]}T00:00:00Z`, `${DAYS[5]}T23:59:00Z`, 31, 60_000);
    const late = [...lateOn('2026-03-08', 32), ...lateOn('2026-03-04', 33)];
    const lake = memoryLake();
    await archive(lake, onTime, 0);
    const first = await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!), graceMs: GRACE });
    expect(first.periods.map((p) => p.date)).toEqual(DAYS);
    expect(first.rechecked).toEqual([]);
    const before = await views(lake);

    // The late events land as new objects in their days' folders (the archiver files by event time).
    await archive(lake, late, 1);
    lake.puts.length = 0;
    const run = await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!) + 3 * HOUR, graceMs: GRACE });
    // The 4th is more than DEFAULT_RECHECK_DAYS before B: not listed by a scheduled run.
    expect(DEFAULT_RECHECK_DAYS).toBe(4);
    expect(run.rechecked).toEqual([{ tenantId: 'acme', date: '2026-03-08' }]);
    expect(run.periods.map((p) => [p.date, p.late])).toEqual([['2026-03-08', 40]]);
    // The day's columnar copy no longer holds its listing: it is compacted again with the late objects.
    expect(lake.puts).toEqual([viewKey('acme', '2026-03-08'), 'columnar/tenant=acme/date=2026-03-08/events.parquet', 'columnar/tenant=acme/date=2026-03-08/copy.json', statsKey('2026-03-08')]);
    expect(run.watermarks.acme).toBe(Date.parse('2026-03-10T00:00:00Z'));
    const after = await views(lake);
    for (const day of DAYS) expect(after.get(day)!.equals(before.get(day)!), day).toBe(day !== '2026-03-08');

    // The same raw objects computed in one run from scratch: the same bytes for every rechecked day.
    const scratch = memoryLake();
    await archive(scratch, onTime, 0);
    await archive(scratch, late, 1);
    await runBatch({ lake: scratch, tenants: ['acme'], now: closeOf(DAYS[5]!) + 3 * HOUR, graceMs: GRACE });
    const reference = await views(scratch);
    expect(after.get('2026-03-08')!.equals(reference.get('2026-03-08')!)).toBe(true);
    expect(after.get('2026-03-04')!.equals(reference.get('2026-03-04')!)).toBe(false);

    // A longer recheck (`run --recheck-days 6`) reaches the 4th; then every view is the reference's.
    const deep = await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!) + 4 * HOUR, graceMs: GRACE, recheckDays: 6 });
    expect(deep.rechecked).toEqual([{ tenantId: 'acme', date: '2026-03-04' }]);
    for (const [day, bytes] of await views(lake)) expect(bytes.equals(reference.get(day)!), day).toBe(true);

    // Stats written before manifests existed: the day is recomputed once, to the same bytes.
    const stats = JSON.parse(new TextDecoder().decode(lake.objects.get(statsKey('2026-03-07'))));
    expect(stats.raw).toMatchObject({ objects: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    delete stats.raw;
    lake.objects.set(statsKey('2026-03-07'), new TextEncoder().encode(JSON.stringify(stats)));
    const upgraded = await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!) + 5 * HOUR, graceMs: GRACE });
    expect(upgraded.rechecked).toEqual([{ tenantId: 'acme', date: '2026-03-07' }]);
    expect((await views(lake)).get('2026-03-07')!.equals(reference.get('2026-03-07')!)).toBe(true);
    const idle = await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!) + 6 * HOUR, graceMs: GRACE });
    expect(idle.periods).toEqual([]);
  }, 180_000);
});

describe('a batch run and a damaged stats file', () => {
  it('recomputes a day whose stats do not parse or hold no object, rewriting them, instead of failing the run', async () => {
    const lake = memoryLake();
    await archive(lake, generateEvents('acme', 1000, `${DAYS[0]}T00:00:00Z`, `${DAYS[5]}T23:59:00Z`, 34, 60_000), 0);
    await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!), graceMs: GRACE });
    const before = await views(lake);

    lake.objects.set(statsKey('2026-03-07'), new TextEncoder().encode('{"events": 12'));
    lake.objects.set(statsKey('2026-03-08'), new TextEncoder().encode('null'));
    const run = await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!) + HOUR, graceMs: GRACE });
    expect(run.rechecked).toEqual([
      { tenantId: 'acme', date: '2026-03-07' },
      { tenantId: 'acme', date: '2026-03-08' },
    ]);
    for (const day of ['2026-03-07', '2026-03-08']) {
      expect((await views(lake)).get(day)!.equals(before.get(day)!), day).toBe(true);
      expect(JSON.parse(new TextDecoder().decode(lake.objects.get(statsKey(day)))).raw).toMatchObject({ objects: expect.any(Number) });
    }
    const idle = await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!) + 2 * HOUR, graceMs: GRACE });
    expect(idle.periods).toEqual([]);
  }, 180_000);

  it("recomputes a day when the archiver marks an in-place rewrite (an erased person's lines left out after a batch read them)", async () => {
    const lake = memoryLake();
    await archive(lake, generateEvents('acme', 600, `${DAYS[4]}T00:00:00Z`, `${DAYS[5]}T23:59:00Z`, 41, 60_000), 0);
    await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!), graceMs: GRACE });
    const before = Buffer.from(lake.objects.get(viewKey('acme', DAYS[4]!))!);
    // The objects keep their keys; only the marker is new.
    await lake.put(`raw/tenant=acme/date=${DAYS[4]}/hour=10/p0-000000000000-000000000400.rewritten`, Buffer.from('{"partition":0,"from":0,"to":400}\n'));
    const run = await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!) + HOUR, graceMs: GRACE });
    expect(run.rechecked).toEqual([{ tenantId: 'acme', date: DAYS[4] }]);
    // The marker is not read as events: the same bytes, now with the marker in the manifest.
    expect(Buffer.from(lake.objects.get(viewKey('acme', DAYS[4]!))!).equals(before)).toBe(true);
    expect((await runBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[5]!) + 2 * HOUR, graceMs: GRACE })).rechecked).toEqual([]);
  });

  it('computes a day again at once when its raw listing changed while it was computed (it may never be rechecked)', async () => {
    const lake = memoryLake();
    await archive(lake, generateEvents('acme', 300, `${DAYS[5]}T00:00:00Z`, `${DAYS[5]}T23:59:00Z`, 51, 60_000), 0);
    let arrived = false;
    const run = await runBatch({
      lake,
      tenants: ['acme'],
      now: closeOf(DAYS[5]!),
      graceMs: GRACE,
      // A late object lands after the day's objects were listed and read, before the view is published.
      beforePublish: async () => {
        if (arrived) return;
        arrived = true;
        await archive(lake, lateOn(DAYS[5]!, 52), 1);
      },
    });
    expect(arrived).toBe(true);
    expect(run.periods.map((p) => [p.date, p.events])).toEqual([[DAYS[5], 340]]);
  });
});
