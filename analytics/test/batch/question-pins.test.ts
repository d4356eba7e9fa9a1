import { link, mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it, vi } from 'vitest';
import { runBatch, type LakeStore } from '../../src/batch/index.ts';
import { columnarKey } from '../../src/batch/raw-columnar.ts';
import { rawEventsSql } from '../../src/batch/raw-events.ts';
import { QUESTION_HEARTBEAT_MS, STALE_QUESTION_MS } from '../../src/batch/raw-read.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { memoryLake, writeRaw } from './batch.fixture.ts';
import { columnarEvents, DAY, duckdbAndDir, FIRST, NOW } from './raw-columnar.fixture.ts';

/*
 * A raw-event question reads the columnar copies through hard links of its own (ADR-0099), in a
 * `q-*` directory it removes when it is done. A process killed mid-question leaves its directory
 * behind; a later question removes those untouched for an hour (STALE_QUESTION_MS) and keeps the
 * others. A question in flight touches its directory while it runs, so however long it takes,
 * another question's cleanup (in this process or another) never takes its links.
 */
const DATES = [0, 1, 2].map((d) => new Date(FIRST + d * DAY).toISOString().slice(0, 10));
const MINUTE = 60_000;

/** What a question reads, summed so two reads compare: rows, distinct messages, a digest of their content. */
async function readAll(connection: DuckDBConnection, sql: string) {
  const [row] = (await connection.runAndReadAll(`SELECT count(*) AS n, count(DISTINCT messageId) AS m, sum(hash(messageId, visitor, person, ts_ms, path))::VARCHAR AS h FROM (${sql})`)).getRowObjectsJS();
  return { n: Number(row!.n), m: Number(row!.m), h: String(row!.h) };
}

/** Sets a file's or directory's times `ageMs` in the past. */
const age = (path: string, ageMs: number) => utimes(path, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));

/** A question directory as a killed process leaves it: links to the copies, untouched for `ageMs`. */
async function leftBehind(readers: string, name: string, lake: LakeStore, ageMs: number): Promise<void> {
  const dir = join(readers, name);
  await mkdir(dir, { recursive: true });
  for (const date of DATES) await link(lake.localPath!(columnarKey('acme', date)), join(dir, `${date}.parquet`));
  await age(dir, ageMs);
}

/** The question directory a question's SQL reads its copies from. */
const questionDirOf = (sql: string, root: string) => join(root, /\/(q-[^/']+)\//.exec(sql.slice(sql.indexOf(root)))![1]!);

describe('the directories of raw-event questions', () => {
  const suite = duckdbAndDir('question-pins-');

  async function localLakeWithCopies(name: string) {
    const lakeDir = join(suite.dir, name);
    const lake = localObjectStore(lakeDir);
    await writeRaw(lakeDir, columnarEvents(), { duplicateEvery: 5, perFile: 40 });
    await runBatch({ lake, tenants: ['acme'], now: NOW });
    return { lake, readers: join(lakeDir, 'columnar', '.readers') };
  }

  it('removes what a killed question left over an hour ago, keeps a younger one and the copies', { timeout: 120_000 }, async () => {
    const { lake, readers } = await localLakeWithCopies('local');
    await leftBehind(readers, 'q-killed', lake, STALE_QUESTION_MS + MINUTE);
    await leftBehind(readers, 'q-recent', lake, STALE_QUESTION_MS - 10 * MINUTE);

    const source = await rawEventsSql(lake, 'acme', FIRST, NOW);
    expect(source!.copies).toBe(3);
    const own = questionDirOf(source!.sql, readers);
    expect((await readdir(readers)).sort()).toEqual([own.slice(readers.length + 1), 'q-recent'].sort());
    const answer = await readAll(suite.connection, source!.sql);
    await source!.release();
    expect(await readdir(readers)).toEqual(['q-recent']);
    // The copies themselves are untouched: a question reads them again, with the same answer.
    const again = await rawEventsSql(lake, 'acme', FIRST, NOW);
    expect(again!.copies).toBe(3);
    expect(await readAll(suite.connection, again!.sql)).toEqual(answer);
    await again!.release();
  });

  it('removes what a killed question left in the download cache of a remote lake, and keeps the cached copies', { timeout: 120_000 }, async () => {
    const { lake: local } = await localLakeWithCopies('for-remote');
    const lake = memoryLake();
    for (const key of [...(await local.list('raw/')), ...(await local.list('columnar/'))]) lake.objects.set(key, (await local.get(key))!);
    const cacheDir = join(suite.dir, 'cache');
    // A killed question's downloads, and a cached copy nobody used for as long (the cache keeps those by its own count).
    await mkdir(join(cacheDir, 'q-killed', 'raw'), { recursive: true });
    await writeFile(join(cacheDir, 'q-killed', 'raw', 'p0.ndjson'), '{}\n');
    await age(join(cacheDir, 'q-killed'), STALE_QUESTION_MS + MINUTE);
    await writeFile(join(cacheDir, 'old.parquet'), 'not read');
    await age(join(cacheDir, 'old.parquet'), STALE_QUESTION_MS + MINUTE);

    const source = await rawEventsSql(lake, 'acme', FIRST, NOW, { cacheDir });
    expect(source!.copies).toBe(3);
    await readAll(suite.connection, source!.sql);
    await source!.release();
    const left = await readdir(cacheDir);
    expect(left).not.toContain('q-killed');
    expect(left).toContain('old.parquet');
    expect(left.filter((n) => n.startsWith('q-'))).toEqual([]);
  });

  it('never takes the links of a question in flight, however long it has run', { timeout: 120_000 }, async () => {
    const { lake, readers } = await localLakeWithCopies('in-flight');
    // The heartbeat's interval only is faked: the file system and DuckDB run as ever.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const long = await rawEventsSql(lake, 'acme', FIRST, NOW);
      const held = questionDirOf(long!.sql, readers);
      // As if it had waited over an hour (a long queue for the DuckDB connection, a huge scan) since it linked the copies.
      await age(held, STALE_QUESTION_MS + MINUTE);
      vi.advanceTimersByTime(QUESTION_HEARTBEAT_MS);
      // The heartbeat touches the directory (a file system call, not awaited by anything here).
      for (let i = 0; i < 100 && Date.now() - (await stat(held)).mtimeMs > STALE_QUESTION_MS; i++) await new Promise((resolve) => setTimeout(resolve, 20));

      // Another question starts meanwhile: its cleanup runs, and leaves the long one's links.
      const other = await rawEventsSql(lake, 'acme', FIRST, NOW);
      expect(await readdir(readers)).toContain(held.slice(readers.length + 1));
      const expected = await readAll(suite.connection, other!.sql);
      await other!.release();
      expect(await readAll(suite.connection, long!.sql)).toEqual(expected);
      await long!.release();
      expect(await readdir(readers)).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
