import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runBatch } from '../../analytics/src/batch/index.ts';
import { query30dEvents, DAY, EVENTS_PER_MINUTE, MINUTE, NOW } from './query-30d-events.ts';
import { writeRawLake } from './raw-lake.ts';

/** Beside the lake's folders: the "now" its events were made for, so a reused lake is asked about its own days. */
const NOW_FILE = 'bench-now.txt';

/**
 * The 62 days before `now` of `query30dEvents` in `dir` as the archiver and the batch leave them:
 * NDJSON per hour, a columnar copy of each closed day up to the batch watermark two days before
 * `now`, the days after it NDJSON only. Written once: a `dir` that already holds raw events is used
 * as it is, and its own "now" (NOW for a lake written without one) is returned.
 */
export async function query30dLake(dir: string, now = NOW): Promise<number> {
  if (existsSync(join(dir, 'raw'))) return existsSync(join(dir, NOW_FILE)) ? Number(await readFile(join(dir, NOW_FILE), 'utf8')) : NOW;
  const all = query30dEvents(now, EVENTS_PER_MINUTE);
  await writeRawLake(dir, all);
  const watermark = Math.floor((now - 2 * DAY) / DAY) * DAY;
  const started = performance.now();
  await runBatch({ lake: dir, tenants: ['bench'], now: watermark + 6 * MINUTE, from: new Date(now - 62 * DAY).toISOString().slice(0, 10), to: new Date(watermark - DAY).toISOString().slice(0, 10) });
  await writeFile(join(dir, NOW_FILE), String(now));
  console.log(`${all.length} events over 62 days (${EVENTS_PER_MINUTE}/min); batch ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return now;
}
