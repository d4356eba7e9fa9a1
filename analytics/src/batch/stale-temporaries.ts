import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LakeStore } from './lake-store.ts';
import { viewsTenantPrefix } from './layout.ts';
import { columnarTenantPrefix } from './raw-columnar.ts';

/**
 * The Parquet files a day's computation writes beside its view and columnar copy before renaming
 * them into place, and the files a local store's `put` writes beside a key (stats, stamps, the
 * watermark) before renaming them.
 */
const TEMPORARY = /^\.tmp-[\w-]+\.parquet$|^\..+\.[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}\.tmp$/;

/**
 * Older than any tenant-day takes to compute: a writer's temporary lives from its day's
 * compaction to its publish, so one this old belongs to a run that was killed, not to one
 * still going (another process's run over the same lake included).
 */
export const STALE_TEMPORARY_MS = 3_600_000;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/**
 * Deletes the temporaries a killed run left beside a tenant's views, columnar copies and their
 * stamps in a local lake (a store of objects has none: its temporaries are in the run's scratch
 * directory), those last written over `olderThanMs` ago. Returns the files deleted.
 *
 * @example
 * await removeStaleTemporaries(lake, 'acme'); // ['…/views/tenant=acme/date=2026-03-10/.tmp-….parquet']
 */
export async function removeStaleTemporaries(lake: LakeStore, tenantId: string, olderThanMs = STALE_TEMPORARY_MS, now = Date.now()): Promise<string[]> {
  if (!lake.localPath) return [];
  const removed: string[] = [];
  const sweep = async (dir: string, names: readonly string[]) => {
    for (const name of names) {
      if (!TEMPORARY.test(name)) continue;
      const path = join(dir, name);
      try {
        if ((await stat(path)).mtimeMs > now - olderThanMs) continue;
      } catch (error) {
        // Published or removed by its writer meanwhile.
        if (isMissing(error)) continue;
        throw error;
      }
      await rm(path, { force: true });
      removed.push(path);
    }
  };
  for (const prefix of [viewsTenantPrefix(tenantId), columnarTenantPrefix(tenantId)]) {
    const root = lake.localPath(prefix.slice(0, -1));
    const names = await entries(root);
    // The tenant's own files (its watermark, its empty days) are put here.
    await sweep(root, names);
    for (const day of names.filter((n) => n.startsWith('date='))) await sweep(join(root, day), await entries(join(root, day)));
  }
  return removed;
}
