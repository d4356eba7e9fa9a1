import { createHash } from 'node:crypto';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { bucketStart, type AggregateStore, type CellValue, type Resolution } from '../../src/contracts/index.ts';

const RESOLUTIONS: Resolution[] = ['minute', 'quarter'];

/**
 * Every bucket the events fall in. Two snapshots over the same list compare every cell that can
 * hold data: a cell written to a wrong bucket shows as missing from the right one.
 */
export function bucketsOf(events: readonly AnalyticsEvent[]): Record<Resolution, number[]> {
  const out = {} as Record<Resolution, number[]>;
  for (const resolution of RESOLUTIONS) {
    const set = new Set<number>();
    for (const e of events) {
      const time = Date.parse(e.timestamp);
      if (Number.isFinite(time)) set.add(bucketStart(time, resolution));
    }
    out[resolution] = [...set].sort((a, b) => a - b);
  }
  return out;
}

function plain(value: CellValue | null): unknown {
  if (!value) return null;
  switch (value.kind) {
    case 'count':
    case 'sum':
      return value.amount;
    case 'unique':
      // The registers' digest: equal exactly when every register is.
      return `hll:${createHash('sha256').update(value.sketch.registers).digest('hex')}`;
    case 'topk':
      return { other: value.top.other, counts: [...value.top.counts].sort(([a], [b]) => a.localeCompare(b)) };
  }
}

/**
 * Everything a query can get from the store for these tenants: every metric of METRICS, at both
 * resolutions, in total and by each of its breakdowns, bucket by bucket (sketches as their bytes),
 * plus each tenant's status. Two stores answer every query alike exactly when their snapshots are equal.
 */
export async function snapshotStore(store: AggregateStore, tenants: readonly string[], buckets: Record<Resolution, number[]>) {
  const out: Record<string, unknown> = {};
  for (const tenantId of tenants) {
    out[`${tenantId} status`] = await store.tenantStatus(tenantId);
    for (const metric of METRICS) {
      for (const resolution of RESOLUTIONS) {
        for (const dimension of [undefined, ...metric.breakdowns]) {
          const readings = await store.read({
            tenantId,
            metric: metric.name,
            kind: metric.measure.kind,
            resolution,
            buckets: buckets[resolution],
            ...(dimension ? { dimension } : {}),
          });
          const cells = readings.flatMap((reading, i) => {
            const breakdown = [...reading.breakdown].map(([value, cell]) => [value, plain(cell)]).sort(([a], [b]) => String(a).localeCompare(String(b)));
            return reading.total || breakdown.length > 0 ? [[buckets[resolution][i], plain(reading.total), ...(dimension ? [breakdown] : [])]] : [];
          });
          if (cells.length > 0) out[`${tenantId} ${metric.name} ${resolution} ${dimension ?? 'total'}`] = cells;
        }
      }
    }
  }
  return out;
}
