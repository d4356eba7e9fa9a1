import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { columnarStampKey, type ColumnarStamp } from '../../src/batch/raw-columnar.ts';
import { dayRaw } from '../../src/batch/raw-manifest.ts';
import { readRawDays } from '../../src/batch/raw-read.ts';
import { SETTLED_MS } from '../../src/batch/unchanged-paths.ts';
import { localObjectStore } from '../../src/storage/index.ts';

const DATE = '2026-11-02';
const DAY = `raw/tenant=acme/date=${DATE}`;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLED_MS + 150));

// A question's listing of a local lake's day is remembered (the same arrays come back) while the
// day's folders and the copy's stamp are unchanged; every change is seen by the next listing.
describe("a local lake's day listing, remembered while its folders are unchanged", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const lakeAt = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raw-day-memory-'));
    dirs.push(dir);
    const lake = localObjectStore(dir);
    const put = (key: string) => lake.put(key, Buffer.from('{}\n'));
    const day = async () => (await readRawDays(lake, 'acme', [DATE]))[0]!;
    return { dir, lake, put, day };
  };

  it('answers from memory once the folders have settled, and sees each object, hour folder and rewrite since', async () => {
    const { dir, put, day } = await lakeAt();
    await put(`${DAY}/hour=03/p0-000000000000-000000000040.ndjson`);
    await put(`${DAY}/hour=04/p0-000000000040-000000000080.ndjson`);
    await settle();
    const first = await day();
    expect(first.keys).toHaveLength(2);
    expect((await day()).keys).toBe(first.keys);

    // A late object in an hour folder listed before.
    await put(`${DAY}/hour=04/p0-000000000080-000000000090.ndjson`);
    const late = await day();
    expect(late.keys).toEqual([...first.keys, `${DAY}/hour=04/p0-000000000080-000000000090.ndjson`]);

    // An object in a new hour folder.
    await settle();
    expect((await day()).keys).toBe((await day()).keys);
    await put(`${DAY}/hour=23/p0-000000000090-000000000091.ndjson`);
    expect((await day()).keys).toHaveLength(4);

    // A copy tool that restores the folder's time after adding an object (cp -p, rsync -a): its change time still moves.
    await settle();
    const before = await day();
    expect((await day()).keys).toBe(before.keys);
    const hour = join(dir, DAY, 'hour=03');
    const { mtimeNs } = await stat(hour, { bigint: true });
    await writeFile(join(hour, 'p0-000000000091-000000000092.ndjson'), '{}\n');
    // To the nanosecond, as those tools restore it.
    execFileSync('touch', ['-m', '-d', `@${mtimeNs / 1_000_000_000n}.${String(mtimeNs % 1_000_000_000n).padStart(9, '0')}`, hour]);
    expect((await stat(hour, { bigint: true })).mtimeNs).toBe(mtimeNs);
    expect((await day()).keys).toContain(`${DAY}/hour=03/p0-000000000091-000000000092.ndjson`);

    // The day's folder removed: nothing is left to read.
    await settle();
    await day();
    await rm(join(dir, DAY), { recursive: true });
    expect((await day()).objects).toBe(0);
  });

  it('lists again each time while a folder changed within the settling time', async () => {
    const { put, day } = await lakeAt();
    await put(`${DAY}/hour=03/p0-000000000000-000000000040.ndjson`);
    const first = await day();
    const second = await day();
    expect(second.keys).toEqual(first.keys);
    expect(second.keys).not.toBe(first.keys);
  });

  it("follows the copy's stamp: a stamp written, replaced or removed is seen by the next listing", async () => {
    const { lake, put, day } = await lakeAt();
    await put(`${DAY}/hour=03/p0-000000000000-000000000040.ndjson`);
    const { manifest } = await dayRaw(lake, 'acme', DATE);
    const stamp = (raw: ColumnarStamp['raw']): ColumnarStamp => ({ raw, erasures: [], sha256: 'a'.repeat(64), keys: {}, rows: 1 });
    await lake.put(columnarStampKey('acme', DATE), Buffer.from(JSON.stringify(stamp(manifest))));
    await settle();
    expect((await day()).copy?.raw).toEqual(manifest);
    expect((await day()).copy).toBe((await day()).copy);

    // Replaced by a stamp of another listing (the batch compacting again): the day reads NDJSON.
    await lake.put(columnarStampKey('acme', DATE), Buffer.from(JSON.stringify(stamp({ objects: 9, sha256: 'b'.repeat(64) }))));
    expect((await day()).copy).toBeNull();

    await lake.put(columnarStampKey('acme', DATE), Buffer.from(JSON.stringify(stamp(manifest))));
    await settle();
    expect((await day()).copy?.raw).toEqual(manifest);
    await lake.delete(columnarStampKey('acme', DATE));
    expect((await day()).copy).toBeNull();
  });
});
