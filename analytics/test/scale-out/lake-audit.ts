import { RAW_PREFIX } from '../../src/archive/index.ts';
import { createBatchViewStore } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { HyperLogLog } from '../../src/sketches/index.ts';
import { RESOLUTION_MS, type CellValue } from '../../src/contracts/index.ts';
import { createLocalObjectStore } from '../../src/storage/index.ts';

/** Every raw NDJSON line in the lake, counted by messageId (with the tenant the line names). */
export async function rawCopiesByMessageId(lakeDir: string): Promise<{ lines: number; copies: Map<string, { tenantId: string; count: number }> }> {
  const store = await createLocalObjectStore(lakeDir);
  const copies = new Map<string, { tenantId: string; count: number }>();
  let lines = 0;
  try {
    for (const key of await store.list(RAW_PREFIX)) {
      if (!key.endsWith('.ndjson')) continue; // the archiver's .rewritten markers are not events
      const bytes = await store.get(key);
      if (!bytes) continue;
      for (const line of Buffer.from(bytes).toString('utf8').split('\n')) {
        if (line === '') continue;
        const event = JSON.parse(line) as AnalyticsEvent;
        lines++;
        const seen = copies.get(event.messageId);
        if (seen) seen.count++;
        else copies.set(event.messageId, { tenantId: event.tenantId, count: 1 });
      }
    }
  } finally {
    await store.close();
  }
  return { lines, copies };
}

export interface DayTotals {
  events: number;
  pageviews: number;
  orders: number;
  revenueCents: number;
  uniqueUsers: number;
  goalConversions: number;
}

/**
 * A tenant's UTC day as the batch views hold it: the day's 96 quarter-hour buckets read from the
 * Parquet views and added up (sketches merged), without going through any API.
 */
export async function batchViewDayTotals(lakeDir: string, tenantId: string, day: string): Promise<DayTotals> {
  const views = createBatchViewStore({ lake: lakeDir });
  const start = Date.parse(`${day}T00:00:00.000Z`);
  const buckets = Array.from({ length: 96 }, (_, i) => start + i * RESOLUTION_MS.quarter);
  try {
    const read = async (metric: string, kind: 'count' | 'sum' | 'unique') => views.read({ tenantId, metric, kind, resolution: 'quarter', buckets });
    const amount = async (metric: string, kind: 'count' | 'sum') =>
      (await read(metric, kind)).reduce((total, r) => total + (r.total && 'amount' in r.total ? r.total.amount : 0), 0);
    const sketch = new HyperLogLog();
    for (const reading of await read('unique_users', 'unique')) {
      const cell: CellValue | null = reading.total;
      if (cell?.kind === 'unique') sketch.merge(cell.sketch);
    }
    return {
      events: await amount('events', 'count'),
      pageviews: await amount('pageviews', 'count'),
      orders: await amount('orders', 'count'),
      revenueCents: await amount('revenue', 'sum'),
      uniqueUsers: Math.round(sketch.estimate()),
      goalConversions: await amount('goal_conversions', 'count'),
    };
  } finally {
    await views.close();
  }
}
