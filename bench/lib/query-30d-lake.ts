import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runBatch } from '../../analytics/src/batch/index.ts';
import { query30dEvents, BATCH_WATERMARK, DAY, EVENTS_PER_MINUTE, MINUTE, NOW } from './query-30d-events.ts';
import { writeRawLake } from './raw-lake.ts';

/**
 * The 62 days of `query30dEvents` in `dir` as the archiver and the batch leave them: NDJSON per
 * hour, a columnar copy of each closed day up to the batch watermark, the last 2.5 days NDJSON
 * only. Written once; a `dir` that already holds raw events is used as it is.
 */
export async function query30dLake(dir: string): Promise<void> {
  if (existsSync(join(dir, 'raw'))) return;
  const all = query30dEvents(NOW, EVENTS_PER_MINUTE);
  await writeRawLake(dir, all);
  const started = performance.now();
  await runBatch({ lake: dir, tenants: ['bench'], now: BATCH_WATERMARK + 6 * MINUTE, from: new Date(NOW - 62 * DAY).toISOString().slice(0, 10), to: new Date(BATCH_WATERMARK - DAY).toISOString().slice(0, 10) });
  console.log(`${all.length} events over 62 days (${EVENTS_PER_MINUTE}/min); batch ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
