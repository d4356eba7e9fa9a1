import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MetricDeclaration } from '../contracts/index.ts';
import type { PeriodInput, PeriodStats } from './compute-period.ts';
import { settledSince, type ErasureList } from './erasure-guard.ts';
import { publishLocalFile } from '../storage/index.ts';
import type { LakeStore } from './lake-store.ts';
import { statsKey, viewKey, type Period } from './layout.ts';
import { dayRaw, dayRawKeys } from './raw-manifest.ts';

export interface PeriodJob {
  lake: LakeStore;
  tenantId: string;
  period: Period;
  graceMs: number;
  metrics: readonly MetricDeclaration[];
  scratch: string;
  compute: (input: PeriodInput, outPath: string) => Promise<PeriodStats>;
  erasures: ErasureList;
  beforePublish?: (day: { tenantId: string; date: string }) => Promise<void> | void;
}

/**
 * One tenant-day: list its raw objects, compute them into a temp Parquet file, publish it
 * atomically, then its stats with the manifest of the objects read (after the view: a crash
 * between the two leaves an old manifest, so the day reads as changed and is recomputed).
 *
 * An erasure of the tenant whose raw rewrite finishes between the listing and the publish may
 * have recomputed this day already, from the rewritten objects, and would find this view, read
 * before the rewrite, in its place. So the erasure list is listed before the raw objects and
 * again before and after the publish, and the day is computed again from the raw objects as
 * they are then (see `settledSince`). A raw object deleted between the listing and the read (an
 * erasure deletes the objects it empties) also makes the day computed again. Each retry needs a
 * request that settled, or an object deleted, during the attempt before, so the retries end.
 */
export async function runPeriod(job: PeriodJob): Promise<PeriodStats> {
  // One listing that changed while the day was computed is computed again at once (a day that
  // fell outside the next runs' recheck window would keep it otherwise); more changes are left to
  // the recheck, so a stream of late events into one day cannot keep a run busy.
  let relists = 1;
  for (;;) {
    const stats = await attempt(job, relists > 0);
    if (stats) return stats;
    relists--;
  }
}

/** The stats when the view and its stats were published; null when the day must be computed again. */
async function attempt(job: PeriodJob, relist: boolean): Promise<PeriodStats | null> {
  const { lake, tenantId, period, erasures } = job;
  const before = await erasures.snapshot(tenantId);
  const { objects: keys, manifest } = await dayRaw(lake, tenantId, period.date);
  const work = join(job.scratch, randomUUID());
  await mkdir(work, { recursive: true });
  const target = viewKey(tenantId, period.date);
  const local = lake.localPath?.(target);
  // Written next to the target when the lake is local, so the publish is a rename.
  const temp = local ? join(dirname(local), `.tmp-${randomUUID()}.parquet`) : join(work, 'cells.parquet');
  try {
    let stats: PeriodStats;
    try {
      const files = lake.localPath ? keys.map((k) => lake.localPath!(k)) : await download(lake, keys, join(work, 'raw'));
      if (local) await mkdir(dirname(local), { recursive: true });
      stats = await job.compute({ tenantId, period, files, cutoff: period.end + job.graceMs, metrics: job.metrics }, temp);
    } catch (error) {
      // An erasure deletes the objects it empties: one listed above may be gone by the time it is read.
      const now = new Set(await dayRawKeys(lake, tenantId, period.date));
      if (keys.some((k) => !now.has(k))) return null;
      throw error;
    }
    await job.beforePublish?.({ tenantId, date: period.date });
    if (settledSince(before, await erasures.snapshot(tenantId))) return null;
    if (local) await publishLocalFile(temp, local);
    else await lake.put(target, await readFile(temp));
    if (settledSince(before, await erasures.snapshot(tenantId))) return null;
    await lake.put(statsKey(tenantId, period.date), Buffer.from(`${JSON.stringify({ ...stats, raw: manifest })}\n`));
    if (relist && (await dayRaw(lake, tenantId, period.date)).manifest.sha256 !== manifest.sha256) return null;
    return stats;
  } finally {
    if (local) await rm(temp, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/** DuckDB's httpfs is not available: fetch through the port, keeping key order in the names. */
async function download(lake: LakeStore, keys: readonly string[], dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const key of keys) {
    const bytes = await lake.get(key);
    if (!bytes) throw new Error(`Raw object vanished after listing: ${key}`);
    const path = join(dir, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    files.push(path);
  }
  return files;
}
