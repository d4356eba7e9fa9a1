import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GoalDefinition, MetricDeclaration } from '../contracts/index.ts';
import type { PeriodInput, PeriodStats } from './compute-period.ts';
import { settledSince, type ErasureList, type ErasureSnapshot } from './erasure-guard.ts';
import { publishLocalFile } from '../storage/index.ts';
import type { LakeStore } from './lake-store.ts';
import { statsKey, viewKey, type Period } from './layout.ts';
import { eventColumns } from './metric-sql.ts';
import { columnarKey, columnarStampKey, copyHasKeys, copyMatches, readColumnarStamp, settledKeys, type ColumnarStamp } from './raw-columnar.ts';
import { dayRaw, dayRawKeys, type RawManifest } from './raw-manifest.ts';
import { fileExists, rawFiles } from './raw-read.ts';

export interface PeriodJob {
  lake: LakeStore;
  tenantId: string;
  period: Period;
  graceMs: number;
  metrics: readonly MetricDeclaration[];
  /** The tenant's goals: their property keys are part of what the columnar copy must hold. */
  goals?: readonly GoalDefinition[];
  scratch: string;
  compute: (input: PeriodInput, outPath: string) => Promise<PeriodStats>;
  /** Compacts the day's raw NDJSON files into a columnar copy at `outPath` (raw-columnar.ts); the rows written. */
  compact: (tenantId: string, files: readonly string[], keys: Readonly<Record<string, string>>, outPath: string) => Promise<number>;
  erasures: ErasureList;
  beforePublish?: (day: { tenantId: string; date: string }) => Promise<void> | void;
}

/**
 * One tenant-day: list its raw objects, take the day's columnar copy when it holds exactly them
 * (else compact them into one), compute it into a temp Parquet file, publish it atomically, then
 * a new copy and its stamp, then its stats with the manifest of the objects read (after the view: a crash
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
  // The copy too: a rename from the scratch directory fails (EXDEV) where the system temp
  // directory and the lake are different file systems (a container's /tmp and a mounted volume).
  const copyTarget = lake.localPath?.(columnarKey(tenantId, period.date));
  const copyTemp = copyTarget ? join(dirname(copyTarget), `.tmp-${randomUUID()}.parquet`) : join(work, 'events.parquet');
  const roots = eventColumns(job.metrics, job.goals ?? []).roots;
  let compacted: { path: string; stamp: ColumnarStamp } | null = null;
  try {
    let stats: PeriodStats;
    try {
      let copy: string | null = null;
      if (keys.length > 0) {
        const stored = await readColumnarStamp(lake, tenantId, period.date);
        if (stored && copyMatches(stored, manifest, before) && copyHasKeys(stored, roots)) copy = await storedCopy(lake, tenantId, period.date, work);
        if (copy === null) {
          compacted = await compact(job, keys, roots, work, copyTemp, manifest, before);
          copy = compacted.path;
        }
      }
      if (local) await mkdir(dirname(local), { recursive: true });
      stats = await job.compute({ tenantId, period, copy, objects: keys.length, cutoff: period.end + job.graceMs, metrics: job.metrics }, temp);
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
    if (compacted) await publishCopy(lake, tenantId, period.date, compacted);
    if (settledSince(before, await erasures.snapshot(tenantId))) return null;
    await lake.put(statsKey(tenantId, period.date), Buffer.from(`${JSON.stringify({ ...stats, raw: manifest })}\n`));
    if (relist && (await dayRaw(lake, tenantId, period.date)).manifest.sha256 !== manifest.sha256) return null;
    return stats;
  } finally {
    if (local) await rm(temp, { force: true });
    if (copyTarget) await rm(copyTemp, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/** The day's NDJSON compacted into a copy at `path`, stamped with the listing and the erasures it was read under. */
async function compact(job: PeriodJob, keys: readonly string[], roots: Record<string, string>, work: string, path: string, manifest: RawManifest, before: ErasureSnapshot) {
  const { lake } = job;
  // DuckDB's httpfs is not available: a remote lake's objects are fetched through the port.
  const files = await rawFiles(lake, keys, join(work, 'raw'));
  await mkdir(dirname(path), { recursive: true });
  const rows = await job.compact(job.tenantId, files, roots, path);
  const sha256 = createHash('sha256').update(await readFile(path)).digest('hex');
  return { path, stamp: { raw: manifest, erasures: settledKeys(before), sha256, keys: roots, rows } satisfies ColumnarStamp };
}

/** The stored copy as a local file (in place when the lake is a directory); null when it went since its stamp was read. */
async function storedCopy(lake: LakeStore, tenantId: string, date: string, work: string): Promise<string | null> {
  const key = columnarKey(tenantId, date);
  if (lake.localPath) return (await fileExists(lake.localPath(key))) ? lake.localPath(key) : null;
  const bytes = await lake.get(key);
  if (!bytes) return null;
  const path = join(work, 'events.parquet');
  await writeFile(path, bytes);
  return path;
}

/** The copy, then its stamp: a stamp never points at a copy that is not there. */
async function publishCopy(lake: LakeStore, tenantId: string, date: string, compacted: { path: string; stamp: ColumnarStamp }) {
  const key = columnarKey(tenantId, date);
  const local = lake.localPath?.(key);
  if (local) {
    await mkdir(dirname(local), { recursive: true });
    await publishLocalFile(compacted.path, local);
  } else await lake.put(key, await readFile(compacted.path));
  await lake.put(columnarStampKey(tenantId, date), Buffer.from(`${JSON.stringify(compacted.stamp)}\n`));
}

