import { spawn } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../src/batch/index.ts';
import { rawEventsSql } from '../../src/batch/raw-events.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { writeRaw } from './batch.fixture.ts';
import { askAll, columnarEvents, DAY, duckdbAndDir, FIRST, NOW } from './raw-columnar.fixture.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WRITER = join(REPO_ROOT, 'analytics/test/support/columnar-copy.writer-script.ts');
const DATES = [0, 1, 2].map((d) => new Date(FIRST + d * DAY).toISOString().slice(0, 10));
/** Where a round's kill lands: a random time into a run, or the instant a copy or a stamp is written. */
const KILL_AT = ['copy.json', 'events.parquet', 'time'] as const;

/**
 * The batch writing columnar copies is killed with SIGKILL at random points while the raw
 * listing of a closed day keeps changing (a late object each round), so a copy being replaced
 * is always one that no longer holds the whole day. Every question over those days must then
 * equal the answer from the NDJSON alone: a day never reads as complete from a partial copy.
 */
describe('the columnar copy and kill -9 of the batch writing it', () => {
  const suite = duckdbAndDir('columnar-kill-');

  it('answers every question as the NDJSON does after each kill, and the next run restores the copies', { timeout: 600_000 }, async () => {
    const { connection, dir } = suite;
    const lakeDir = join(dir, 'lake');
    // The same raw objects without any batch: the answers from NDJSON alone.
    const truthDir = join(dir, 'truth');
    const lake = localObjectStore(lakeDir);
    const truthLake = localObjectStore(truthDir);
    const events = columnarEvents();
    for (const d of [lakeDir, truthDir]) await writeRaw(d, events, { duplicateEvery: 5, perFile: 40 });
    await runBatch({ lake, tenants: ['acme'], now: NOW });

    const killedAt: string[] = [];
    for (const [round, at] of KILL_AT.entries()) {
      // A late sign-up for one closed day: its listing changes, so its copy is stale until compacted again.
      const day = round % 3;
      const late: AnalyticsEvent = { ...events[9]!, messageId: `late-${round}`, anonymousId: `late-${round}`, timestamp: new Date(FIRST + day * DAY + 3_600_000 + round).toISOString(), receivedAt: new Date(NOW - 60_000).toISOString(), isBot: false };
      for (const d of [lakeDir, truthDir]) await writeRaw(d, [late], { partition: 10 + round });

      const child = spawn(process.execPath, ['--import', 'tsx', WRITER, lakeDir, String(NOW)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      const watchers: FSWatcher[] = [];
      const kill = () => child.kill('SIGKILL');
      if (at === 'time') {
        const started = new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
        await started;
        setTimeout(kill, Math.floor(Math.random() * 4000));
      } else {
        // Killed the moment the file is renamed into place (fs events are immediate; the kill follows within a few ms).
        for (const date of DATES) {
          watchers.push(watch(lake.localPath!(`columnar/tenant=acme/date=${date}`), (_event, name) => name === at && kill()));
        }
      }
      const signal = await exited;
      for (const w of watchers) w.close();
      expect(signal, output).toBe('SIGKILL');
      killedAt.push(`${at} after ${(output.match(/run \d+/g) ?? []).at(-1) ?? 'start'}`);

      const truth = await askAll(connection, truthLake);
      const got = await askAll(connection, lake);
      expect({ round, at, answers: got.answers }).toEqual({ round, at, answers: truth.answers });
      expect(got.freshness).toEqual(truth.freshness);
    }

    // Nothing the kills left makes a later run fail, and it compacts every closed day again.
    await runBatch({ lake, tenants: ['acme'], now: NOW });
    const source = await rawEventsSql(lake, 'acme', FIRST, NOW);
    await source!.release();
    expect(source!.copies).toBe(3);
    expect((await askAll(connection, lake)).answers).toEqual((await askAll(connection, truthLake)).answers);
    expect(killedAt).toHaveLength(KILL_AT.length);
  });
});
