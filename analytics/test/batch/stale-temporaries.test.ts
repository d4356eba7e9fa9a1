import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, viewKey } from '../../src/batch/index.ts';
import { columnarKey } from '../../src/batch/raw-columnar.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { generateEvents, writeRaw } from './batch.fixture.ts';

const DAY = '2026-03-10';
const NOW = Date.parse('2026-03-11T01:00:00Z');
const HOUR = 3_600_000;

/**
 * A batch killed between writing a day's Parquet beside its view or columnar copy (or a stats,
 * stamp or watermark file) and renaming it into place leaves the temporary there. The next run
 * deletes those old enough to be no running writer's, and leaves young ones (another run's, being
 * written) alone.
 */
describe('temporaries a killed batch left in the local lake', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stale-temporaries-'));
    await writeRaw(dir, generateEvents('acme', 200, `${DAY}T00:00:00Z`, `${DAY}T23:00:00Z`, 5));
    await writeRaw(dir, generateEvents('other', 50, `${DAY}T00:00:00Z`, `${DAY}T23:00:00Z`, 6));
    await runBatch({ lake: dir, tenants: ['acme', 'other'], now: NOW });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('are deleted by the next run once older than an hour; younger ones and other tenants are kept', async () => {
    const lake = localObjectStore(dir);
    const beside = (key: string, name: string) => join(dirname(lake.localPath(key)), name);
    const killed = [
      beside(viewKey('acme', DAY), '.tmp-killed-view.parquet'),
      beside(columnarKey('acme', DAY), '.tmp-killed-copy.parquet'),
      // A local store's put, killed before its rename: the day's stats and the tenant's watermark.
      beside(viewKey('acme', DAY), `.stats.json.${randomUUID()}.tmp`),
      join(dirname(dirname(lake.localPath(viewKey('acme', DAY)))), `._watermark.json.${randomUUID()}.tmp`),
    ];
    const writing = [beside(viewKey('acme', DAY), '.tmp-writing-view.parquet'), beside(columnarKey('acme', DAY), '.tmp-writing-copy.parquet')];
    const otherTenant = beside(viewKey('other', DAY), '.tmp-other.parquet');
    for (const path of [...killed, ...writing, otherTenant]) await writeFile(path, 'PAR1 partial');
    const old = new Date(Date.now() - 2 * HOUR);
    for (const path of [...killed, otherTenant]) await utimes(path, old, old);

    await runBatch({ lake: dir, tenants: ['acme'], now: NOW });

    const left = async (key: string) => (await readdir(dirname(lake.localPath(key)))).filter((n) => n.startsWith('.')).sort();
    expect(await left(viewKey('acme', DAY))).toEqual(['.tmp-writing-view.parquet']);
    expect(await left(columnarKey('acme', DAY))).toEqual(['.tmp-writing-copy.parquet']);
    expect((await readdir(dirname(dirname(lake.localPath(viewKey('acme', DAY)))))).filter((n) => n.startsWith('.'))).toEqual([]);
    // Only the run's own tenants are looked at.
    expect(await left(viewKey('other', DAY))).toEqual(['.tmp-other.parquet']);
    // The views and copies themselves are untouched.
    expect((await lake.list(`views/tenant=acme/date=${DAY}/`)).some((k) => k.endsWith('cells.parquet'))).toBe(true);
    expect((await lake.list(`columnar/tenant=acme/date=${DAY}/`)).some((k) => k.endsWith('events.parquet'))).toBe(true);
  });
});
