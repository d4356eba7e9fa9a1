import { RESOLUTION_MS, type Resolution } from '../contracts/index.ts';
import { localDate, localTime, offsetAt } from '../calendar/index.ts';

export type Granularity = 'minute' | 'hour' | 'day';

/** One point of a series: a local minute, hour or day and the stored buckets that make it up. */
export interface SeriesBucket {
  start: number;
  end: number;
  resolution: Resolution;
  /** Stored bucket starts (UTC ms) whose sum is exactly this local period. */
  sources: number[];
}

// A local day is at most 25 h = 100 quarter hours; no group can be longer.
const MAX_GROUP = 100;

/**
 * The local periods covering [from, to): from the period containing `from` through the one
 * containing `to - 1`. Hours and days are built from quarter-hour buckets grouped by their
 * local label, so a 23 h or 25 h DST day, the repeated 01:00 hour of a fall-back night
 * (told apart by its offset) and +5:30 / +5:45 zones all come out exact.
 */
export function seriesBuckets(range: { from: number; to: number; granularity: Granularity; timeZone: string }): SeriesBucket[] {
  const resolution: Resolution = range.granularity === 'minute' ? 'minute' : 'quarter';
  const width = RESOLUTION_MS[resolution];
  const keyOf = (t: number): string => {
    if (range.granularity === 'minute') return String(t);
    const local = localTime(t, range.timeZone);
    return range.granularity === 'day' ? localDate(local) : `${localDate(local)}T${local.hour}@${offsetAt(t, range.timeZone)}`;
  };

  let t = Math.floor(range.from / width) * width;
  const first = keyOf(t);
  for (let i = 0; i < MAX_GROUP && keyOf(t - width) === first; i++) t -= width;

  const buckets: SeriesBucket[] = [];
  let current: SeriesBucket | null = null;
  let currentKey = '';
  for (;;) {
    const key = keyOf(t);
    if (!current || key !== currentKey) {
      if (current) buckets.push(current);
      if (t >= range.to) break;
      current = { start: t, end: t + width, resolution, sources: [] };
      currentKey = key;
    }
    current.sources.push(t);
    current.end = t + width;
    t += width;
  }
  return buckets;
}
