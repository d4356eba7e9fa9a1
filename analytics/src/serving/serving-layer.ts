import { assembleResult, readDimension, type MetricQuery, type MetricResult } from './run-query.ts';
import { seriesBuckets } from './series-buckets.ts';
import { formatLocal } from '../calendar/index.ts';
import { RESOLUTION_MS, type AggregateStore, type BucketReading } from '../contracts/index.ts';
import type { BatchViews, Period } from './batch-views.ts';
import type { PeriodNotCovered } from './serving.errors.ts';

export type Layer = 'batch' | 'speed';

/** A contiguous run of the range answered by one layer; local ISO 8601 like the series points. */
export interface LayerSpan {
  from: string;
  to: string;
  layer: Layer;
}

export interface ServedResult extends MetricResult {
  /** The batch watermark B the answer was split at (ISO 8601 UTC), null when the batch has none. */
  watermark: string | null;
  /** How far the batch views trail the clock: now − B, in ms; null without B. */
  lagMs: number | null;
  layers: LayerSpan[];
}

export type ServeOutcome = { ok: true; value: ServedResult } | { ok: false; error: PeriodNotCovered };

export interface ServingLayer {
  /** `at` defaults to the layer's clock; pass the instant the query was planned at to keep both in step. */
  query(query: MetricQuery, at?: number): Promise<ServeOutcome>;
  readonly speed: AggregateStore;
}

export interface ServingLayerOptions {
  speed: AggregateStore;
  batch: BatchViews;
  now?: () => number;
  /**
   * A speed bucket this close to its expiry counts as gone: it could expire between the check and
   * the read and come back as a silent zero. Default one minute.
   */
  expiryMarginMs?: number;
}

/**
 * The serving layer, Pinot's hybrid-table boundary: quarter buckets ending at or before the
 * tenant's watermark B come from the batch views, later ones from the speed layer (minutes for a
 * minute series, quarters otherwise), merged into the requested local periods. A local hour or
 * day straddling B sums its batch and speed quarters (sketches and top-K summaries merge). A
 * minute series is the speed layer's alone: the batch keeps no minutes.
 *
 * A day at or before B is answered from its view as last computed: an event that arrives late
 * for it is in the speed layer at once and in the answer once the next batch run has recomputed
 * the day (a delay of at most one batch interval; ADR-0019).
 *
 * @example
 * const serving = createServingLayer({ speed: aggregates, batch: batchViews });
 * const outcome = await serving.query(metricQuery);
 * if (!outcome.ok) // outcome.error.missing names the periods neither layer holds
 */
export function createServingLayer(options: ServingLayerOptions): ServingLayer {
  const { speed, batch } = options;
  const now = options.now ?? Date.now;
  const margin = options.expiryMarginMs ?? 60_000;

  return {
    speed,
    async query(query, at = now()) {
      const kind = query.metric.measure.kind;
      const buckets = seriesBuckets(query);
      const sources = buckets.flatMap((b) => b.sources);
      const resolution = buckets[0]?.resolution ?? 'minute';
      const width = RESOLUTION_MS[resolution];
      const kept = resolution === 'minute' ? speed.retention.minuteMs : speed.retention.quarterMs;
      const [watermark, status] = await Promise.all([batch.watermark(query.tenantId), speed.tenantStatus(query.tenantId)]);

      // Batch candidates: whole quarters at or before B. The batch holds no minutes.
      const inBatchRange = (s: number) => resolution === 'quarter' && watermark !== null && s + width <= watermark;
      const candidates = sources.filter(inBatchRange);
      const gaps =
        candidates.length === 0 ? [] : await batch.missingPeriods(query.tenantId, { from: candidates[0]!, to: candidates.at(-1)! + width });
      const inGap = (s: number) => gaps.some((g) => s < g.to && s + width > g.from);
      const speedHolds = (s: number) => s + kept > at + margin;

      const layerOf = new Map<number, Layer | null>();
      for (const s of sources) {
        // A batch gap falls back to the speed layer while it still holds the bucket.
        layerOf.set(s, inBatchRange(s) && !inGap(s) ? 'batch' : speedHolds(s) ? 'speed' : null);
      }
      const missing = runs(sources, width, (s) => (layerOf.get(s) === null ? 'missing' : null)).map(({ from, to }) => ({ from, to }));
      if (missing.length > 0) return { ok: false, error: notCovered(missing, watermark, query.timeZone, resolution === 'minute') };

      const fromSpeed = sources.filter((s) => layerOf.get(s) === 'speed');
      const fromBatch = sources.filter((s) => layerOf.get(s) === 'batch');
      const cell = { tenantId: query.tenantId, metric: query.metric.name, kind, dimension: readDimension(query) };
      // Each point's batch quarters as one group when the batch can merge them: the merged
      // reading stands for the group's first quarter, the others read as absent (merging is
      // associative, so the point's value is the same).
      const groups = batch.readMerged ? buckets.map((b) => b.sources.filter((s) => layerOf.get(s) === 'batch')).filter((g) => g.length > 0) : [];
      const [speedReadings, batchReadings] = await Promise.all([
        fromSpeed.length ? speed.read({ ...cell, resolution, buckets: fromSpeed }) : [],
        fromBatch.length === 0 ? [] : batch.readMerged ? batch.readMerged({ ...cell, resolution: 'quarter', groups }) : batch.read({ ...cell, resolution: 'quarter', buckets: fromBatch }),
      ]);
      const readings = new Map<number, BucketReading | undefined>();
      fromSpeed.forEach((s, i) => readings.set(s, speedReadings[i]));
      if (batch.readMerged) groups.forEach((g, i) => readings.set(g[0]!, batchReadings[i]));
      else fromBatch.forEach((s, i) => readings.set(s, batchReadings[i]));

      const result = assembleResult(query, buckets, (s) => readings.get(s), status, at);
      return {
        ok: true,
        value: {
          ...result,
          watermark: watermark === null ? null : new Date(watermark).toISOString(),
          lagMs: watermark === null ? null : Math.max(0, at - watermark),
          layers: runs(sources, width, (s) => layerOf.get(s) ?? null).map((r) => ({
            from: formatLocal(r.from, query.timeZone),
            to: formatLocal(r.to, query.timeZone),
            layer: r.label,
          })),
        },
      };
    },
  };
}

/** Contiguous runs of equally labelled buckets (null labels are skipped). */
function runs<L extends string>(sources: readonly number[], width: number, label: (s: number) => L | null): Array<Period & { label: L }> {
  const out: Array<Period & { label: L }> = [];
  for (const s of sources) {
    const l = label(s);
    if (l === null) continue;
    const last = out.at(-1);
    if (last && last.label === l && last.to === s) last.to = s + width;
    else out.push({ from: s, to: s + width, label: l });
  }
  return out;
}

function notCovered(missing: Period[], watermark: number | null, timeZone: string, minutes: boolean): PeriodNotCovered {
  const spans = missing.map((p) => `${formatLocal(p.from, timeZone)} to ${formatLocal(p.to, timeZone)}`).join(', ');
  const why = minutes
    ? 'the speed layer no longer holds these minutes and the batch views keep no minutes'
    : watermark === null
      ? 'the speed layer no longer holds them and the batch views cover nothing yet for this tenant'
      : `the speed layer no longer holds them and the batch views have no view for them (watermark ${new Date(watermark).toISOString()})`;
  return { code: 'SERVING.PERIOD_NOT_COVERED', message: `No layer holds ${spans}: ${why}`, missing, watermark };
}
