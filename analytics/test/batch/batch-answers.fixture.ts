import { createBatchViewStore, periodOf, type LakeStore } from '../../src/batch/index.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { batchViewsFromCoverage } from '../../src/serving/index.ts';
import type { CellValue } from '../../src/contracts/index.ts';

const QUARTER_MS = 15 * 60_000;

function plainCell(cell: CellValue): unknown {
  if (cell.kind === 'unique') {
    const bytes = cell.sketch.toBytes();
    return { estimate: Math.round(cell.sketch.estimate()), sketch: Buffer.from(bytes).toString('base64') };
  }
  if (cell.kind === 'topk') return { items: Object.fromEntries([...cell.top.counts].sort(([a], [b]) => (a < b ? -1 : 1))), other: cell.top.other };
  return cell.amount;
}

const isZero = (cell: CellValue | null): boolean =>
  cell === null ||
  (cell.kind === 'unique' ? cell.sketch.estimate() === 0 : cell.kind === 'topk' ? cell.top.counts.size === 0 && cell.top.other === 0 : cell.amount === 0);

/**
 * What the serving layer's batch side answers for every metric of `contracts/metrics.ts` (its
 * total and each breakdown) over every quarter hour of `dates`: non-zero cells only, keyed
 * `metric|dimension|value|bucket`. Also checks that no asked day is a gap.
 */
export async function batchAnswers(lake: LakeStore, tenantId: string, dates: readonly string[]): Promise<{ answers: Record<string, unknown>; cells: number }> {
  const store = createBatchViewStore({ lake });
  const batch = batchViewsFromCoverage(store);
  const answers: Record<string, unknown> = {};
  try {
    const buckets = dates.flatMap((date) => {
      const { start } = periodOf(date);
      return Array.from({ length: 96 }, (_, i) => start + i * QUARTER_MS);
    });
    const from = Math.min(...buckets);
    const gaps = await batch.missingPeriods(tenantId, { from, to: Math.max(...buckets) + QUARTER_MS });
    if (gaps.length > 0) throw new Error(`batch gaps for ${tenantId}: ${JSON.stringify(gaps)}`);
    for (const metric of METRICS) {
      for (const dimension of [undefined, ...metric.breakdowns]) {
        const readings = await batch.read({ tenantId, metric: metric.name, kind: metric.measure.kind, resolution: 'quarter', buckets, ...(dimension ? { dimension } : {}) });
        readings.forEach((reading, i) => {
          const bucket = buckets[i]!;
          if (!dimension && !isZero(reading.total)) answers[`${metric.name}|||${bucket}`] = plainCell(reading.total!);
          if (dimension) {
            for (const [value, cell] of [...reading.breakdown].sort(([a], [b]) => (a < b ? -1 : 1))) {
              if (!isZero(cell)) answers[`${metric.name}|${dimension}|${value}|${bucket}`] = plainCell(cell);
            }
          }
        });
      }
    }
  } finally {
    await store.close();
  }
  return { answers, cells: Object.keys(answers).length };
}
