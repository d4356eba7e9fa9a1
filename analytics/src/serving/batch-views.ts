import type { BucketReading, CellQuery } from '../contracts/index.ts';

/** A half-open span of time [from, to), epoch ms UTC. */
export interface Period {
  from: number;
  to: number;
}

/**
 * What the serving layer needs from the batch layer (analytics/src/batch implements it over its
 * Parquet views). Quarter-hour resolution only.
 */
export interface BatchViews {
  /**
   * The tenant's watermark B, epoch ms: every quarter bucket ending at or before B is covered
   * (a bucket with no events reads as a real zero), except the periods `missingPeriods` names.
   * Null when the batch has never covered this tenant.
   */
  watermark(tenantId: string): Promise<number | null>;
  /** Same shape as the speed layer's `AggregateStore.read`; `query.resolution` is always `quarter`. */
  read(query: CellQuery): Promise<BucketReading[]>;
  /**
   * Optional: one reading per group of buckets, equal to merging `read`'s readings of the group in
   * order (amounts add, sketches and top-K summaries merge). The serving layer asks for each local
   * hour or day's batch quarters as one group, so a 30-day series handles 30 cells per series, not
   * 2,880.
   */
  readMerged?(query: Omit<CellQuery, 'buckets'> & { groups: number[][] }): Promise<BucketReading[]>;
  /**
   * Periods inside [from, to) and before B that have no view (a failed or deleted partition).
   * Without this a missing view would read as zero, which the serving layer must never answer.
   */
  missingPeriods(tenantId: string, period: Period): Promise<Period[]>;
  /**
   * Optional: exact distinct counts of a unique metric's total per bucket (null: bucket unknown).
   * Reconciliation compares the speed layer's sketch against these when present, else against
   * the batch's own sketch estimate.
   */
  distinctCounts?(query: CellQuery): Promise<Array<number | null>>;
}
