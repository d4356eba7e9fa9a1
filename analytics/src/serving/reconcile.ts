import { type AggregateStore, type CellQuery, type CellValue, type MetricDeclaration, RESOLUTION_MS } from '../contracts/index.ts';
import { HLL_STANDARD_ERROR } from '../sketches/index.ts';
import type { BatchViews, Period } from './batch-views.ts';
import type { DriftRecord, DriftStore } from './drift-store.ts';
import type { ReconciliationMetrics } from './reconciliation-metrics.ts';

const QUARTER = RESOLUTION_MS.quarter;
/** ~99.7 % of HyperLogLog estimates fall within three standard errors. */
export const UNIQUE_TOLERANCE_SIGMAS = 3;

export interface ReconcileOptions {
  speed: AggregateStore;
  batch: BatchViews;
  drift: DriftStore;
  tenantId: string;
  /** The quarter hours wholly inside these periods are compared, where both layers hold them. */
  periods: readonly Period[];
  metrics: readonly MetricDeclaration[];
  now?: number;
  observer?: ReconciliationMetrics;
  /** Speed buckets this close to expiry are skipped (they could vanish mid-read). Default one minute. */
  expiryMarginMs?: number;
}

export interface ReconcileReport {
  tenantId: string;
  watermark: number | null;
  /** Quarter-hour starts compared. */
  buckets: number[];
  records: DriftRecord[];
  flagged: DriftRecord[];
}

/**
 * Compares the speed layer's quarter hours with the batch's where both hold them (ending at or
 * before B, not yet expired from the speed layer, not a batch gap), per metric total: counts,
 * sums and top-K totals must match exactly; a unique count must lie within 3 standard errors of
 * the batch's exact distinct count (or of its sketch's estimate when the batch has no exact
 * count). Every comparison is saved to the drift store; first-time flags count in Prometheus.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileReport> {
  const { speed, batch, drift, tenantId } = options;
  const now = options.now ?? Date.now();
  const margin = options.expiryMarginMs ?? 60_000;
  const watermark = await batch.watermark(tenantId);
  const empty: ReconcileReport = { tenantId, watermark, buckets: [], records: [], flagged: [] };
  if (watermark === null) return empty;

  const wanted = new Set<number>();
  for (const p of options.periods) {
    for (let q = Math.ceil(p.from / QUARTER) * QUARTER; q + QUARTER <= p.to; q += QUARTER) {
      if (q + QUARTER <= watermark && q + speed.retention.quarterMs > now + margin) wanted.add(q);
    }
  }
  let buckets = [...wanted].sort((a, b) => a - b);
  if (buckets.length === 0) return empty;
  const span = { from: buckets[0]!, to: buckets.at(-1)! + QUARTER };
  const gaps = await batch.missingPeriods(tenantId, span);
  buckets = buckets.filter((q) => !gaps.some((g) => q < g.to && q + QUARTER > g.from));
  if (buckets.length === 0) return empty;

  const before = await drift.list(tenantId, { ...span, flaggedOnly: true });
  const wasFlagged = new Set(before.map((r) => `${r.metric}|${r.bucket}`));
  const records: DriftRecord[] = [];
  for (const metric of options.metrics) {
    const kind = metric.measure.kind;
    const query: CellQuery = { tenantId, metric: metric.name, kind, resolution: 'quarter', buckets };
    const [fromSpeed, fromBatch, exact] = await Promise.all([
      speed.read(query),
      batch.read(query),
      kind === 'unique' && batch.distinctCounts ? batch.distinctCounts(query) : undefined,
    ]);
    const rows = buckets.map((bucket, i): DriftRecord => {
      const speedValue = valueOf(fromSpeed[i]?.total ?? null);
      const batchValue = kind === 'unique' ? (exact?.[i] ?? valueOf(fromBatch[i]?.total ?? null)) : valueOf(fromBatch[i]?.total ?? null);
      const diff = speedValue - batchValue;
      const tolerance = kind === 'unique' ? UNIQUE_TOLERANCE_SIGMAS * HLL_STANDARD_ERROR * Math.abs(batchValue) : 0;
      return {
        tenantId,
        metric: metric.name,
        kind,
        bucket,
        speed: speedValue,
        batch: batchValue,
        drift: diff,
        relativeDrift: Math.abs(diff) / Math.max(Math.abs(batchValue), 1),
        tolerance,
        flagged: Math.abs(diff) > tolerance,
        checkedAt: now,
      };
    });
    records.push(...rows);
    const newlyFlagged = rows.filter((r) => r.flagged && !wasFlagged.has(`${r.metric}|${r.bucket}`)).length;
    options.observer?.observe(tenantId, metric.name, rows, newlyFlagged);
  }
  await drift.save(records);
  return { tenantId, watermark, buckets, records, flagged: records.filter((r) => r.flagged) };
}

// Distinct estimates are rounded: a count of people is whole, and rounding keeps records stable.
function valueOf(cell: CellValue | null): number {
  if (!cell) return 0;
  if (cell.kind === 'unique') return Math.round(cell.sketch.estimate());
  if (cell.kind === 'topk') return cell.top.total();
  return cell.amount;
}
