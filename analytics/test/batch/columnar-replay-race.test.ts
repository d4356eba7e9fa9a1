import { copyFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { runBatch, type LakeStore } from '../../src/batch/index.ts';
import { columnarKey } from '../../src/batch/raw-columnar.ts';
import { rawEventsSql } from '../../src/batch/raw-events.ts';
import { localObjectStore, publishLocalFile } from '../../src/storage/index.ts';
import { memoryLake, writeRaw } from './batch.fixture.ts';
import { columnarEvents, DAY, duckdbAndDir, FIRST, NOW } from './raw-columnar.fixture.ts';

const DATES = [0, 1, 2].map((d) => new Date(FIRST + d * DAY).toISOString().slice(0, 10));

/** What a question reads, summed so two reads compare: rows, distinct messages, a digest of their content. */
async function readAll(connection: DuckDBConnection, sql: string) {
  const [row] = (await connection.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT messageId) AS m, sum(hash(messageId, visitor, person, ts_ms, path))::VARCHAR AS h FROM (${sql})`)).getRowObjectsJS();
  return { n: Number(row!.n), m: Number(row!.m), h: String(row!.h) };
}

/** Plans the question, lets `meanwhile` happen to the copies, then runs the planned SQL: the worst interleaving. */
async function planThenRead(connection: DuckDBConnection, lake: LakeStore, meanwhile: () => Promise<void>, cacheDir?: string) {
  const source = await rawEventsSql(lake, 'acme', FIRST, NOW, cacheDir ? { cacheDir } : {});
  expect(source!.copies).toBe(3);
  try {
    await meanwhile();
    return await readAll(connection, source!.sql);
  } finally {
    await source!.release();
  }
}

describe('raw-event questions while the copies are deleted or rewritten', () => {
  const suite = duckdbAndDir('columnar-race-');

  it('answers from the copies it planned on when a replay deletes them or a rebuild replaces them before the read', { timeout: 120_000 }, async () => {
    const { connection, dir } = suite;
    const lakeDir = join(dir, 'local');
    const lake = localObjectStore(lakeDir);
    await writeRaw(lakeDir, columnarEvents(), { duplicateEvery: 5, perFile: 40 });
    const source = await rawEventsSql(lake, 'acme', FIRST, NOW);
    const fromNdjson = await readAll(connection, source!.sql);
    await source!.release();
    await runBatch({ lake, tenants: ['acme'], now: NOW });

    // A replay deletes every copy (stamps first) after the question chose them.
    const deleted = await planThenRead(connection, lake, async () => {
      for (const date of DATES) await rm(lake.localPath!(columnarKey('acme', date)));
    });
    expect(deleted).toEqual(fromNdjson);
    await runBatch({ lake, tenants: ['acme'], now: NOW, from: DATES[0]!, to: DATES[2]! });

    // A rebuild renames another file over each copy (here: another day's copy, so reading the new bytes would be wrong).
    const replaced = await planThenRead(connection, lake, async () => {
      for (const date of DATES) {
        const other = join(dir, `${date}.parquet`);
        await copyFile(lake.localPath!(columnarKey('acme', DATES[(DATES.indexOf(date) + 1) % 3]!)), other);
        await publishLocalFile(other, lake.localPath!(columnarKey('acme', date)));
      }
    });
    expect(replaced).toEqual(fromNdjson);
    // The question's own names are gone with it: nothing left beside the copies.
    expect(await readdir(join(lakeDir, 'columnar', '.readers'))).toEqual([]);
  });

  it('answers from the cached copies of a remote lake when the cache drops them before the read', { timeout: 120_000 }, async () => {
    const { connection, dir } = suite;
    const localDir = join(dir, 'for-remote');
    await writeRaw(localDir, columnarEvents(), { duplicateEvery: 5, perFile: 40 });
    const lake = memoryLake();
    const local = localObjectStore(localDir);
    for (const key of await local.list('raw/')) lake.objects.set(key, (await local.get(key))!);
    const cacheDir = join(dir, 'cache');
    const source = await rawEventsSql(lake, 'acme', FIRST, NOW, { cacheDir });
    const fromNdjson = await readAll(connection, source!.sql);
    await source!.release();
    await runBatch({ lake, tenants: ['acme'], now: NOW });

    const pruned = await planThenRead(
      connection,
      lake,
      async () => {
        for (const name of await readdir(cacheDir)) if (name.endsWith('.parquet')) await rm(join(cacheDir, name));
      },
      cacheDir,
    );
    expect(pruned).toEqual(fromNdjson);
  });
});
