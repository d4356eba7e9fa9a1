import { rm } from 'node:fs/promises';
import { localObjectStore } from '../storage/index.ts';
import type { LakeStore } from './lake-store.ts';
import { TENANT_ID, viewsTenantPrefix, watermarkKey } from './layout.ts';
import { columnarTenantPrefix } from './raw-columnar.ts';
import { runBatch, type BatchRunResult, type RunBatchOptions } from './run-batch.ts';

/** A lake the replay can delete derived objects from (the archiver's ObjectStore fits). */
export interface ReplayLake extends LakeStore {
  delete(key: string): Promise<void>;
}

export interface ReplayBatchOptions extends Omit<RunBatchOptions, 'lake' | 'from' | 'to'> {
  /** A lake directory, or a store that can delete. */
  lake: ReplayLake | string;
}

export interface ReplayBatchResult extends BatchRunResult {
  /** Derived objects deleted before the recompute (views, stats, watermarks, columnar copies and their stamps). */
  deleted: number;
}

function localReplayLake(dir: string): ReplayLake {
  const lake = localObjectStore(dir);
  return { ...lake, delete: (key) => rm(lake.localPath!(key), { force: true }) };
}

/**
 * Rebuilds the batch layer of `tenants` from the raw store alone: deletes everything derived
 * under `views/tenant=<id>/` (views, stats, the watermark) and `columnar/tenant=<id>/` (the
 * columnar copies of the raw events), never a raw object, then recomputes
 * every closed day from each tenant's first raw day. The views are a pure function of the raw
 * files, so the replay writes the same bytes and the same watermark as the runs it replaces.
 * The watermark goes first: until the recompute re-covers a day, the serving layer reports the
 * tenant's history as not covered rather than reading a half-deleted batch.
 *
 * @example
 * const result = await replayBatch({ lake: store, tenants: ['acme'], now: Date.now() });
 * console.log(`${result.deleted} derived objects replaced by ${result.periods.length} days`);
 */
export async function replayBatch(options: ReplayBatchOptions): Promise<ReplayBatchResult> {
  const lake = typeof options.lake === 'string' ? localReplayLake(options.lake) : options.lake;
  for (const t of options.tenants) if (!TENANT_ID.test(t)) throw new Error(`Not a tenant id: ${t}`);
  let deleted = 0;
  for (const tenantId of options.tenants) {
    const keys = await lake.list(viewsTenantPrefix(tenantId));
    const watermark = watermarkKey(tenantId);
    if (keys.includes(watermark)) {
      await lake.delete(watermark);
      deleted++;
    }
    for (const key of keys) {
      if (key === watermark) continue;
      await lake.delete(key);
      deleted++;
    }
    // The columnar copies are derived too: stamps first, so no reader takes a copy on its way out.
    const copies = (await lake.list(columnarTenantPrefix(tenantId))).sort((a, b) => Number(b.endsWith('.json')) - Number(a.endsWith('.json')));
    for (const key of copies) {
      await lake.delete(key);
      deleted++;
    }
  }
  const { lake: _lake, ...rest } = options;
  const result = await runBatch({ ...rest, lake });
  return { ...result, deleted };
}
