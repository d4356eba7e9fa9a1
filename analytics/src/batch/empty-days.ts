import type { LakeStore } from './lake-store.ts';
import { emptyDaysKey, periodAt, type Period } from './layout.ts';

/** Days [start, end) (UTC midnights, ms) whose raw folders held nothing when a run planned them. */
export interface EmptySpan {
  start: number;
  end: number;
}

/**
 * The tenant's empty spans, sorted and disjoint. The batch computes only days that have raw data,
 * so the cost of a run follows the data and not the calendar; a day between two such days is
 * recorded here instead of getting a view, which lets B move across it and serving read it as a
 * real zero. A view of a day inside a span (an event that arrived after the span was recorded,
 * then recomputed) takes precedence over the span.
 */
export async function readEmptySpans(lake: LakeStore, tenantId: string): Promise<EmptySpan[]> {
  const bytes = await lake.get(emptyDaysKey(tenantId));
  if (!bytes) return [];
  const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as { spans?: Array<{ from?: unknown; to?: unknown }> };
  const spans: EmptySpan[] = [];
  for (const s of parsed.spans ?? []) {
    const start = typeof s.from === 'string' ? Date.parse(`${s.from}T00:00:00Z`) : NaN;
    const end = typeof s.to === 'string' ? Date.parse(`${s.to}T00:00:00Z`) : NaN;
    if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`Corrupt empty-day list for tenant ${tenantId}`);
    spans.push({ start, end });
  }
  return spans;
}

/** Adds spans to the tenant's list, merging those that touch; writes only when something changed. */
export async function addEmptySpans(lake: LakeStore, tenantId: string, added: readonly EmptySpan[]): Promise<void> {
  if (added.length === 0) return;
  const existing = await readEmptySpans(lake, tenantId);
  const merged = mergeSpans([...existing, ...added]);
  if (JSON.stringify(merged) === JSON.stringify(mergeSpans(existing))) return;
  const spans = merged.map((s) => ({ from: periodAt(s.start).date, to: periodAt(s.end).date }));
  await lake.put(emptyDaysKey(tenantId), Buffer.from(`${JSON.stringify({ spans })}\n`));
}

function mergeSpans(spans: readonly EmptySpan[]): EmptySpan[] {
  const out: EmptySpan[] = [];
  for (const s of [...spans].filter((x) => x.end > x.start).sort((a, b) => a.start - b.start)) {
    const last = out.at(-1);
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/**
 * The days of [from, until) that hold no raw data, as spans, given the sorted dates that do:
 * gaps between data days, computed from the data days alone (never day by day).
 */
export function emptySpansBetween(from: number, until: number, rawDays: readonly Period[]): EmptySpan[] {
  const spans: EmptySpan[] = [];
  let cursor = from;
  for (const day of rawDays) {
    if (day.end <= cursor) continue;
    if (day.start >= until) break;
    if (day.start > cursor) spans.push({ start: cursor, end: day.start });
    cursor = day.end;
  }
  if (cursor < until) spans.push({ start: cursor, end: until });
  return spans;
}

/** The span containing `instant`, if any. */
export const spanAt = (spans: readonly EmptySpan[], instant: number): EmptySpan | undefined => spans.find((s) => s.start <= instant && instant < s.end);

/** The latest day boundary every day before which is closed at `now` (closed: its end + grace has passed). */
export const closedUntil = (now: number, graceMs: number): number => periodAt(now - graceMs - 1).start;


