import type { MetricKind } from '../contracts/index.ts';

/** One metric in one closed quarter hour, as each layer counted it. */
export interface DriftRecord {
  tenantId: string;
  metric: string;
  kind: MetricKind;
  /** Quarter-hour bucket start, epoch ms UTC; the period is [bucket, bucket + 15 min). */
  bucket: number;
  /** The speed layer's value: count, sum, top-K total, or distinct estimate. */
  speed: number;
  /** The batch's value: exact, or for uniques its exact distinct count (else its sketch's estimate). */
  batch: number;
  /** speed − batch. */
  drift: number;
  /** |drift| / max(|batch|, 1). */
  relativeDrift: number;
  /** Largest |drift| accepted: 0 for counts, sums and top-K totals; 3 standard errors for uniques. */
  tolerance: number;
  flagged: boolean;
  checkedAt: number;
}

export interface DriftQuery {
  /** Bucket starts in [from, to). */
  from: number;
  to: number;
  flaggedOnly?: boolean;
}

/**
 * Reconciliation results, one per (tenant, metric, bucket); a later check of the same bucket
 * replaces the earlier one. Adapters: in-process and Redis, one contract suite.
 */
export interface DriftStore {
  save(records: readonly DriftRecord[]): Promise<void>;
  /** Ordered by bucket, then metric. */
  list(tenantId: string, query: DriftQuery): Promise<DriftRecord[]>;
  close(): Promise<void>;
}

/** Records are kept this long after their bucket (longer than the speed layer's 35 days of quarters). */
export const DEFAULT_DRIFT_RETENTION_MS = 90 * 24 * 3_600_000;

export function compareDrift(a: DriftRecord, b: DriftRecord): number {
  return a.bucket - b.bucket || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0);
}
