import type { BucketReading, CellQuery } from '../contracts/index.ts';
import type { BatchViews, Period } from './batch-views.ts';

/** A batch store that lists the periods it has views for (the batch layer's `BatchViewStore` fits). */
export interface CoverageBatchStore {
  read(query: CellQuery): Promise<BucketReading[]>;
  readMerged?: BatchViews['readMerged'];
  watermark(tenantId: string): Promise<number | null>;
  /** Periods with a view, any order. */
  coverage(tenantId: string): Promise<Array<{ start: number; end: number }>>;
}

/**
 * `BatchViews` over a store that reports coverage instead of gaps: a gap is any part of the
 * asked period before B that no covered period contains, so a lost view, or days before the
 * first view, are never read as zero.
 *
 * @example
 * const batch = batchViewsFromCoverage(createBatchViewStore({ lake }));
 */
export function batchViewsFromCoverage(store: CoverageBatchStore): BatchViews {
  return {
    watermark: (tenantId) => store.watermark(tenantId),
    read: (query) => store.read(query),
    ...(store.readMerged ? { readMerged: store.readMerged.bind(store) } : {}),
    async missingPeriods(tenantId, period) {
      const [watermark, covered] = await Promise.all([store.watermark(tenantId), store.coverage(tenantId)]);
      const end = Math.min(period.to, watermark ?? period.from);
      const gaps: Period[] = [];
      let cursor = period.from;
      for (const c of [...covered].sort((a, b) => a.start - b.start)) {
        if (cursor >= end) break;
        if (c.end <= cursor) continue;
        if (c.start > cursor) gaps.push({ from: cursor, to: Math.min(c.start, end) });
        cursor = Math.max(cursor, c.end);
      }
      if (cursor < end) gaps.push({ from: cursor, to: end });
      return gaps;
    },
  };
}
