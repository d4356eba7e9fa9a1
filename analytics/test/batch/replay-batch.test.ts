import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWatermark } from '../../src/batch/watermark.ts';
import { replayBatch, runBatch, viewKey, type ReplayLake } from '../../src/batch/index.ts';
import { createLocalObjectStore } from '../../src/storage/index.ts';
import { batchAnswers } from './batch-answers.fixture.ts';
import { generateEvents, memoryLake, writeRaw } from './batch.fixture.ts';

const DAYS = ['2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11'];
const GRACE = 5 * 60_000;
const closeOf = (date: string) => Date.parse(`${date}T00:00:00Z`) + 86_400_000 + GRACE + 1;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** Every object under `prefix` with its bytes. */
async function snapshot(lake: ReplayLake, prefix: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const key of (await lake.list(prefix)).sort()) out.set(key, Buffer.from((await lake.get(key))!));
  return out;
}

async function lakeWithRaw(kind: 'local' | 'memory'): Promise<ReplayLake> {
  const dir = await mkdtemp(join(tmpdir(), 'replay-batch-'));
  dirs.push(dir);
  const events = [
    ...generateEvents('acme', 2500, '2026-03-08T23:00:00Z', '2026-03-12T00:00:00Z', 11, 15 * 60_000),
    ...generateEvents('other', 300, '2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z', 12),
  ];
  await writeRaw(dir, events, { duplicateEvery: 7, perFile: 150 });
  const local = await createLocalObjectStore(dir);
  if (kind === 'local') return local;
  const memory = memoryLake();
  for (const key of await local.list('raw/')) memory.objects.set(key, (await local.get(key))!);
  return Object.assign(memory, { delete: async (key: string) => void memory.objects.delete(key) });
}

describe.each(['local', 'memory'] as const)('batch replay on a %s lake', (kind) => {
  it('deletes the derived data and recomputes byte-identical views, identical answers and the same watermark', async () => {
    const lake = await lakeWithRaw(kind);
    // The batch as it runs in production: one scheduled run per closed day.
    for (const day of DAYS) await runBatch({ lake, tenants: ['acme', 'other'], now: closeOf(day), graceMs: GRACE });
    const views = await snapshot(lake, 'views/tenant=acme/');
    const otherViews = await snapshot(lake, 'views/tenant=other/');
    const copies = await snapshot(lake, 'columnar/tenant=acme/');
    const raw = await snapshot(lake, 'raw/');
    const answers = await batchAnswers(lake, 'acme', DAYS);
    const watermark = await readWatermark(lake, 'acme');
    expect(views.has(viewKey('acme', DAYS[3]!))).toBe(true);
    expect(answers.cells).toBeGreaterThan(2000);
    expect(watermark).toBe(Date.parse('2026-03-12T00:00:00Z'));

    // Derived data gone wrong: a damaged view, a stray day, a stale watermark. A replay must not care.
    await lake.put(viewKey('acme', DAYS[1]!), Buffer.from('not parquet'));
    await lake.put(viewKey('acme', '2026-01-01'), Buffer.from('stray'));
    await lake.put('views/tenant=acme/_watermark.json', Buffer.from('{"watermark":"2026-01-02T00:00:00.000Z"}\n'));

    const result = await replayBatch({ lake, tenants: ['acme'], now: closeOf(DAYS[3]!), graceMs: GRACE });
    // The views, the stray day and each day's columnar copy and stamp, compacted again from the raw store.
    expect(copies.size).toBe(2 * DAYS.length);
    expect(result.deleted).toBe(views.size + 1 + copies.size);
    expect(result.periods.map((p) => p.date)).toEqual(DAYS);
    expect([...(await snapshot(lake, 'columnar/tenant=acme/')).keys()]).toEqual([...copies.keys()]);

    const replayed = await snapshot(lake, 'views/tenant=acme/');
    expect([...replayed.keys()]).toEqual([...views.keys()]);
    for (const [key, bytes] of views) expect(replayed.get(key)!.equals(bytes), key).toBe(true);
    expect(await readWatermark(lake, 'acme')).toBe(watermark);
    expect(await batchAnswers(lake, 'acme', DAYS)).toEqual(answers);
    // Raw data and the tenants not replayed are untouched.
    expect(await snapshot(lake, 'raw/')).toEqual(raw);
    expect(await snapshot(lake, 'views/tenant=other/')).toEqual(otherViews);
  }, 120_000);
});

describe('batch replay on a lake directory path', () => {
  it('replays a tenant with no derived data yet, and refuses what is not a tenant id', async () => {
    const lake = (await lakeWithRaw('local')) as ReturnType<typeof createLocalObjectStore> extends Promise<infer S> ? S : never;
    const result = await replayBatch({ lake: lake.rootDir, tenants: ['other'], now: closeOf('2026-03-09'), graceMs: GRACE });
    expect(result.deleted).toBe(0);
    expect(result.periods.map((p) => p.date)).toEqual(['2026-03-09']);
    await expect(replayBatch({ lake: lake.rootDir, tenants: ['../raw'], now: 0 })).rejects.toThrow(/Not a tenant id/);
    expect(await lake.list('raw/tenant=other/')).not.toEqual([]);
  }, 60_000);
});
