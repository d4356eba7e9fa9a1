import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBatch } from '../../src/batch/index.ts';
import { columnarKey, readColumnarStamp } from '../../src/batch/raw-columnar.ts';
import { rawEventsSql } from '../../src/batch/raw-events.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { writeRaw } from './batch.fixture.ts';
import { columnarEvents, DAY, FIRST, NOW } from './raw-columnar.fixture.ts';

/*
 * The batch writes each columnar copy of a local lake beside its place and renames it there, as it
 * does the views: its scratch directory (the system temp directory by default) may be on another
 * file system than the lake (a container's /tmp and a mounted volume), and a rename from one to
 * the other fails with EXDEV. Here the lake is on a tmpfs (/dev/shm) and the scratch on the disk,
 * and TMPDIR names no directory at all, so nothing the batch publishes passes through os.tmpdir().
 */
const DATES = [0, 1, 2].map((d) => new Date(FIRST + d * DAY).toISOString().slice(0, 10));
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('the columnar copies of a lake on another file system than the scratch directory', () => {
  it('are compacted and published, and read by questions', { timeout: 120_000 }, async () => {
    const lakeDir = await mkdtemp(join('/dev/shm', 'columnar-other-fs-'));
    const scratch = await mkdtemp(join(tmpdir(), 'columnar-other-fs-scratch-'));
    dirs.push(lakeDir, scratch);
    expect((await stat(lakeDir)).dev, '/dev/shm must be a file system of its own (tmpfs) for this test').not.toBe((await stat(scratch)).dev);
    const lake = localObjectStore(lakeDir);
    await writeRaw(lakeDir, columnarEvents(), { duplicateEvery: 5, perFile: 40 });

    const systemTemp = process.env.TMPDIR;
    process.env.TMPDIR = join(scratch, 'no-such-directory');
    try {
      const run = await runBatch({ lake, tenants: ['acme'], now: NOW, tempDir: scratch });
      expect(run.periods.map((p) => p.date)).toEqual(DATES);
    } finally {
      if (systemTemp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = systemTemp;
    }

    for (const date of DATES) {
      expect(await readColumnarStamp(lake, 'acme', date), date).not.toBeNull();
      expect((await stat(lake.localPath!(columnarKey('acme', date)))).isFile()).toBe(true);
    }
    // Nothing half-written is left beside the copies.
    const leftovers = (await readdir(join(lakeDir, 'columnar'), { recursive: true })).filter((name) => name.includes('.tmp'));
    expect(leftovers).toEqual([]);
    const source = await rawEventsSql(lake, 'acme', FIRST, NOW);
    expect(source!.copies).toBe(3);
    await source!.release();
  });
});
