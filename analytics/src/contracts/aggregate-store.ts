import type { BreakdownDimension, MetricKind, Series } from './metrics.ts';
import type { HyperLogLog, TopKSummary } from '../sketches/index.ts';

/**
 * Bucket widths. Minutes serve live charts; quarter hours are the rollup because every real
 * UTC offset is a multiple of 15 minutes (India +5:30, Nepal +5:45, Chatham +12:45), so quarter
 * hours sum exactly into any time zone's local hours and days, DST days of 23 or 25 hours included.
 */
export type Resolution = 'minute' | 'quarter';
export const RESOLUTION_MS: Record<Resolution, number> = { minute: 60_000, quarter: 15 * 60_000 };

export const HOUR_MS = 3_600_000;
export const DEFAULT_RETENTION = { minuteMs: 49 * HOUR_MS, quarterMs: 35 * 24 * HOUR_MS };
/** Distinct items a top-K cell keeps before folding the rest into its `other` count. */
export const TOPK_CELL_CAPACITY = 1000;

export function bucketStart(timeMs: number, resolution: Resolution): number {
  const width = RESOLUTION_MS[resolution];
  return Math.floor(timeMs / width) * width;
}

interface CellAddress {
  tenantId: string;
  metric: string;
  resolution: Resolution;
  /** Bucket start, epoch ms UTC. */
  bucket: number;
  series: Series | null;
}

/** A pre-aggregated change to one cell: many events folded into one write. */
export type CellDelta = CellAddress &
  (
    | { kind: 'count' | 'sum'; amount: number }
    /** The identities seen (exact hashes while few); the store merges it into the cell's sketch. */
    | { kind: 'unique'; sketch: HyperLogLog }
    | { kind: 'topk'; items: Map<string, number> }
  );

/** Per-tenant bookkeeping carried with a batch: tallies add, times keep their maximum. */
export interface TenantDelta {
  tenantId: string;
  /** Events older than the minute buckets' retention: counted here instead of in a bucket. */
  late: number;
  /** Values a metric could not use (e.g. a non-decimal revenue). */
  rejected: number;
  lastEventTime: number;
  lastReceivedAt: number;
}

/** Everything derived from the records [from, to) of one log partition. */
export interface PartitionBatch {
  partition: number;
  from: number;
  to: number;
  cells: CellDelta[];
  tenants: TenantDelta[];
}

/** The cells and tenant deltas of a batch without its positions: what `applyCells` writes. */
export type CellBatch = Pick<PartitionBatch, 'cells' | 'tenants'>;

/**
 * `applied`: written with the new position, in one atomic step. `duplicate`: the stored position
 * is already at or past `to` (a replay after a crash), nothing written. `conflict`: the stored
 * position is neither `from` nor past `to` (another consumer moved it), or it is the partition's
 * first batch since a `purgeTenant` (folded before the purge, perhaps under an older exclusion
 * list); nothing written, and the consumer reads again from the stored position.
 */
export type BatchOutcome = 'applied' | 'duplicate' | 'conflict';

export type CellValue =
  | { kind: 'count' | 'sum'; amount: number }
  | { kind: 'unique'; sketch: HyperLogLog }
  | { kind: 'topk'; top: TopKSummary };

export interface CellQuery {
  tenantId: string;
  metric: string;
  kind: MetricKind;
  resolution: Resolution;
  buckets: number[];
  /** Also read every value of this breakdown in each bucket. */
  dimension?: BreakdownDimension;
}

/** One bucket's cells; absent cells (no events, or expired) are null / missing. */
export interface BucketReading {
  total: CellValue | null;
  breakdown: Map<string, CellValue>;
}

export interface TenantStatus {
  lastEventTime: number | null;
  lastReceivedAt: number | null;
  late: number;
  rejected: number;
}

/**
 * The speed layer's views: per tenant, metric, bucket and series. Buckets expire
 * `retention[resolution]` after their start. Adapters: in-process (embedded default) and Redis.
 * One contract suite covers both.
 */
export interface AggregateStore {
  readonly retention: { minuteMs: number; quarterMs: number };
  /**
   * Writes each batch's cells and tenant deltas together with its partition's position, as one
   * atomic step per call, so a crash leaves either all of a batch or none of it: replaying the
   * records afterwards yields `duplicate` instead of counting twice.
   */
  applyBatch(batches: PartitionBatch[]): Promise<BatchOutcome[]>;
  /** The next offset to read per partition; partitions never written are absent. */
  positions(partitions: number[]): Promise<Map<number, number>>;
  read(query: CellQuery): Promise<BucketReading[]>;
  tenantStatus(tenantId: string): Promise<TenantStatus>;
  /**
   * Adds cells and tenant deltas without checking or moving any position: for rebuilds, which
   * re-fold records the stored positions already cover. Not idempotent: a retry after an unknown
   * outcome may count twice, so a failed rebuild is redone from its `purgeTenant`.
   */
  applyCells(batches: readonly CellBatch[]): Promise<void>;
  /**
   * Removes every cell, tenant status and this consumer's positions, so the next consumer starts
   * from the log's first offset. Only while no consumer writes to the store.
   */
  clear(): Promise<void>;
  /**
   * Removes all of one tenant's cells and its status, and returns this consumer's positions as of
   * the same atomic instant: a batch applied concurrently is either before the purge (its cells
   * are gone, its records are below the returned position) or after it (its cells stay, its
   * records are at or above it). Every partition's next `applyBatch` then answers `conflict` once,
   * so records a live consumer folded before the purge are read and judged again. The removed
   * data is deleted, not merely hidden, before the promise resolves.
   */
  purgeTenant(tenantId: string): Promise<Map<number, number>>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface AggregateStoreOptions {
  /** Whose positions these are; several consumers (speed layer, tests) can share one store. */
  consumer?: string;
  retention?: { minuteMs: number; quarterMs: number };
}

export function expiresAt(delta: { resolution: Resolution; bucket: number }, retention: AggregateStore['retention']): number {
  return delta.bucket + (delta.resolution === 'minute' ? retention.minuteMs : retention.quarterMs);
}
