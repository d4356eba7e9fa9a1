import { periodOf, runBatch, viewKey, type BatchRunResult } from '../batch/index.ts';
import type { ObjectStore } from '../storage/index.ts';

export interface RecomputeViewsOptions {
  /** The lake: the raw store and the views live in the same ObjectStore. */
  store: ObjectStore;
  tenantId: string;
  /** UTC dates whose raw data changed; any order, duplicates allowed. */
  dates: readonly string[];
  now: number | Date;
  graceMs?: number;
  threads?: number;
  tempDir?: string;
}

export interface RecomputeViewsResult {
  /** Dates whose view was recomputed: those of `dates` that had one. */
  recomputed: string[];
  runs: BatchRunResult[];
}

const DAY_MS = 86_400_000;

/**
 * Recomputes the batch views of exactly the given tenant-days that have a view, as backfills
 * of contiguous date ranges (one DuckDB run per range). A day without a view is left to the
 * scheduled batch, which will compute it from the raw store as it is now; a backfill never moves
 * the watermark backwards (runBatch only advances it).
 *
 * @example
 * await recomputeViews({ store, tenantId: 'acme', dates: report.dates, now: new Date() });
 */
export async function recomputeViews(options: RecomputeViewsOptions): Promise<RecomputeViewsResult> {
  const { store, tenantId } = options;
  const withView: string[] = [];
  for (const date of [...new Set(options.dates)].sort()) {
    periodOf(date); // rejects anything that is not a date
    if (await store.head(viewKey(tenantId, date))) withView.push(date);
  }
  const ranges: Array<{ from: string; to: string }> = [];
  for (const date of withView) {
    const last = ranges.at(-1);
    if (last && periodOf(last.to).start + DAY_MS === periodOf(date).start) last.to = date;
    else ranges.push({ from: date, to: date });
  }
  const runs: BatchRunResult[] = [];
  for (const range of ranges) {
    runs.push(
      await runBatch({
        lake: store,
        tenants: [tenantId],
        now: options.now,
        from: range.from,
        to: range.to,
        ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
        ...(options.threads !== undefined ? { threads: options.threads } : {}),
        ...(options.tempDir !== undefined ? { tempDir: options.tempDir } : {}),
      }),
    );
  }
  const recomputed = runs.flatMap((r) => r.periods.map((p) => p.date)).sort();
  return { recomputed, runs };
}
