import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { createMemoryBatchViews, type MemoryBatchViews } from '../../src/serving/index.ts';
import type { AggregateStore } from '../../src/contracts/aggregate-store.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { PartitionBuffer } from '../../src/speed/partition-buffer.ts';

export const QUARTER = 15 * 60_000;

/** The speed layer's fold (both resolutions) for `events`, as one batch's cells. */
export function fold(events: readonly AnalyticsEvent[], now: number, from = 0) {
  const buffer = new PartitionBuffer(0, from, METRICS, Number.MAX_SAFE_INTEGER / 4);
  events.forEach((event, i) => buffer.add(from + i, event, now));
  return buffer.toBatch();
}

/** A speed store and batch views on one clock, fed through the same fold the speed layer uses. */
export function layers(now: number) {
  const speed: AggregateStore = createMemoryAggregateStore({ now: () => now });
  const batch: MemoryBatchViews = createMemoryBatchViews();
  let offset = 0;
  const toSpeed = async (events: readonly AnalyticsEvent[]) => {
    const batchOfCells = fold(events, now, offset);
    offset = batchOfCells.to;
    await speed.applyBatch([batchOfCells]);
  };
  const toBatch = async (events: readonly AnalyticsEvent[]) => {
    await batch.apply(fold(events, now).cells);
  };
  return {
    speed,
    batch,
    toSpeed,
    toBatch,
    /** Events in quarters ending at or before `watermark` go to the batch, the rest to the speed layer. */
    async split(events: readonly AnalyticsEvent[], watermark: number, tenantId = 'acme') {
      const before = (e: AnalyticsEvent) => Math.floor(Date.parse(e.timestamp) / QUARTER) * QUARTER + QUARTER <= watermark;
      await toBatch(events.filter(before));
      await toSpeed(events.filter((e) => !before(e)));
      batch.setWatermark(tenantId, watermark);
    },
    async close() {
      await speed.close();
      await batch.close();
    },
  };
}
