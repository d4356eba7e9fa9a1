import type { CellDelta } from '../contracts/index.ts';
import { createMemoryAggregateStore } from '../speed/index.ts';
import type { BatchViews, Period } from './batch-views.ts';

/** In-process batch views for tests, benchmarks and an app whose batch layer has not run yet. */
export interface MemoryBatchViews extends BatchViews {
  /** Adds quarter-hour cells as a batch run would publish them; other resolutions are ignored. */
  apply(cells: readonly CellDelta[]): Promise<void>;
  setWatermark(tenantId: string, watermark: number | null): void;
  /** Marks a period below B as having no view (a lost partition). */
  markMissing(tenantId: string, period: Period): void;
  /** An exact distinct count for a unique metric's total in one bucket, as a batch job can compute. */
  setDistinctCount(tenantId: string, metric: string, bucket: number, count: number): void;
  close(): Promise<void>;
}

// Batch views never expire.
const FOREVER = Number.MAX_SAFE_INTEGER / 4;

export function createMemoryBatchViews(): MemoryBatchViews {
  const cells = createMemoryAggregateStore({ consumer: 'batch', retention: { minuteMs: FOREVER, quarterMs: FOREVER } });
  const watermarks = new Map<string, number | null>();
  const missing = new Map<string, Period[]>();
  const distinct = new Map<string, number>();
  let position = 0;

  return {
    async watermark(tenantId) {
      return watermarks.get(tenantId) ?? null;
    },
    read(query) {
      return cells.read(query);
    },
    async missingPeriods(tenantId, period) {
      return (missing.get(tenantId) ?? []).filter((p) => p.from < period.to && p.to > period.from);
    },
    async distinctCounts(query) {
      return query.buckets.map((b) => distinct.get(`${query.tenantId}|${query.metric}|${b}`) ?? null);
    },
    async apply(deltas) {
      const quarters = deltas.filter((d) => d.resolution === 'quarter');
      await cells.applyBatch([{ partition: 0, from: position, to: position + 1, cells: quarters, tenants: [] }]);
      position++;
    },
    setWatermark(tenantId, watermark) {
      watermarks.set(tenantId, watermark);
    },
    markMissing(tenantId, period) {
      missing.set(tenantId, [...(missing.get(tenantId) ?? []), period]);
    },
    setDistinctCount(tenantId, metric, bucket, count) {
      distinct.set(`${tenantId}|${metric}|${bucket}`, count);
    },
    close: () => cells.close(),
  };
}
