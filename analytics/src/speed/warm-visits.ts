import type { AnalyticsEvent } from '../contracts/index.ts';
import type { EventLog } from '../log/index.ts';
import type { PartitionBuffer } from './partition-buffer.ts';

/**
 * How far back in receipt time a consumer re-reads the log before its position to rebuild the
 * open visits: a visit lies within one UTC day, so a day and an hour covers any visit still open
 * (bar one whose events trickled in over longer than that).
 */
export const VISIT_WARM_UP_MS = 25 * 3_600_000;
const READ = 2000;

/**
 * Folds the records received within `VISIT_WARM_UP_MS` before `position` into `buffer` (whose
 * visits the caller commits and whose cells it drops), so a consumer that starts from a stored
 * position continues the visits its predecessor had open instead of counting them again. The
 * first such record is found by bisecting the offsets: receipt times follow log order.
 */
export async function warmVisits(log: EventLog, partition: number, position: number, buffer: PartitionBuffer, exclude?: (event: AnalyticsEvent) => boolean, now = Date.now()): Promise<number> {
  const { first } = await log.bounds(partition);
  if (position <= first) return 0;
  const receivedAt = async (offset: number) => Date.parse((await log.read(partition, offset, { max: 1, waitMs: 0 }))[0]?.value.receivedAt ?? '') || 0;
  const since = (await receivedAt(position - 1)) - VISIT_WARM_UP_MS;
  let low = first;
  let high = position - 1;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if ((await receivedAt(mid)) < since) low = mid + 1;
    else high = mid;
  }
  let folded = 0;
  for (let offset = low; offset < position; ) {
    const records = await log.read(partition, offset, { max: Math.min(READ, position - offset), waitMs: 0 });
    if (records.length === 0) break;
    for (const record of records) {
      if (record.offset >= position) break;
      if (!exclude?.(record.value)) buffer.add(record.offset, record.value, now);
      folded++;
      offset = record.offset + 1;
    }
  }
  return folded;
}
