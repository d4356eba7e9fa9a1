import { createHash } from 'node:crypto';
import { DEFAULT_RETENTION } from '../contracts/index.ts';
import type { LakeStore } from './lake-store.ts';
import { DAY_MS, periodAt, rawDayPrefix, statsKey, viewDates, viewsTenantPrefix, type Period } from './layout.ts';

/**
 * What a view was computed from: the number and a digest of its day's raw object keys, stored in
 * the view's stats. The archiver names objects by log offsets and files each event under its event
 * time, so an event received after its day's view was built arrives as a new key in that day's
 * folders, and a listing that digests differently means the view is out of date. Keys only, so
 * an object rewritten in place must announce it: an erasure recomputes its days itself, and the
 * archiver, when it leaves erased records out of a flush (possibly over objects a batch has just
 * read with them), writes a `.rewritten` marker next to them AFTER the objects, which the
 * manifest counts.
 */
export interface RawManifest {
  objects: number;
  sha256: string;
}

/**
 * Closed days re-listed by each run, counted back from B: the speed layer counts an event up to
 * its minute buckets' retention (49 h) after its time, so a late event it shows can belong to any
 * of the three days before B; one more day leaves room for an archiver or a run that comes late.
 */
export const DEFAULT_RECHECK_DAYS = Math.ceil(DEFAULT_RETENTION.minuteMs / DAY_MS) + 1;

const RAW_OBJECT = /\/hour=\d{2}\/[^/]+\.ndjson$/;
const REWRITE_MARKER = /\/hour=\d{2}\/[^/]+\.rewritten$/;

/** The raw object keys of one tenant-day, sorted (one listing of the day's folder). */
export async function dayRawKeys(lake: LakeStore, tenantId: string, date: string): Promise<string[]> {
  return (await lake.list(rawDayPrefix(tenantId, date))).filter((key) => RAW_OBJECT.test(key)).sort();
}

/** A tenant-day's raw objects (what the batch reads) and the manifest of its listing (objects and rewrite markers). */
export async function dayRaw(lake: LakeStore, tenantId: string, date: string): Promise<{ objects: string[]; manifest: RawManifest }> {
  const keys = (await lake.list(rawDayPrefix(tenantId, date))).sort();
  return { objects: keys.filter((k) => RAW_OBJECT.test(k)), manifest: rawManifest(keys.filter((k) => RAW_OBJECT.test(k) || REWRITE_MARKER.test(k))) };
}

export function rawManifest(sortedKeys: readonly string[]): RawManifest {
  const hash = createHash('sha256');
  for (const key of sortedKeys) hash.update(`${key}\n`);
  return { objects: sortedKeys.length, sha256: hash.digest('hex') };
}

/**
 * The manifest kept in a view's stats; null when there are none (stats from before manifests, lost,
 * or damaged). A damaged stats file must not fail the run for every tenant: its day is recomputed,
 * which rewrites it.
 */
async function storedManifest(lake: LakeStore, tenantId: string, date: string): Promise<RawManifest | null> {
  const bytes = await lake.get(statsKey(tenantId, date));
  if (!bytes) return null;
  let stats: unknown;
  try {
    stats = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return null;
  }
  const raw = (stats as { raw?: Partial<RawManifest> } | null)?.raw;
  return typeof raw?.sha256 === 'string' && typeof raw.objects === 'number' ? { objects: raw.objects, sha256: raw.sha256 } : null;
}

/**
 * The `days` days before B that have a view whose raw objects changed since it was computed
 * (or whose stats hold no manifest), or no view but raw objects now: one listing of the tenant's views, then one of each day's
 * raw folder and one stats read per day. No raw object is read.
 */
export async function changedDays(lake: LakeStore, tenantId: string, watermark: number, days: number): Promise<Period[]> {
  const covered = new Set(viewDates(await lake.list(viewsTenantPrefix(tenantId))));
  const changed: Period[] = [];
  for (let back = days; back >= 1; back--) {
    const period = periodAt(watermark - back * DAY_MS);
    if (!covered.has(period.date)) {
      // A day recorded empty that has raw data now: an event for it came after the run that recorded it.
      if ((await dayRawKeys(lake, tenantId, period.date)).length > 0) changed.push(period);
      continue;
    }
    const stored = await storedManifest(lake, tenantId, period.date);
    if (stored?.sha256 !== (await dayRaw(lake, tenantId, period.date)).manifest.sha256) changed.push(period);
  }
  return changed;
}
