import { rawPartitionOf } from '../archive/index.ts';
import type { AnalyticsEvent } from '../contracts/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import type { ErasureMatcher } from '../privacy/index.ts';
import { forEachLimited, lineRanges, rawKeyDate, rawObjectKeysOf } from './raw-objects.ts';

export interface RawObjectChange {
  key: string;
  linesRemoved: number;
  /** Every line was the person's: the object is deleted rather than left empty. */
  deleted: boolean;
  /** UTC dates whose batch views can include the removed lines: the object's folder and each removed event's date. */
  dates: string[];
}

export interface RawRewriteOptions {
  store: ObjectStore;
  tenantId: string;
  matcher: Pick<ErasureMatcher, 'isErased'>;
  /** Raw objects read at once. Default 4. */
  concurrency?: number;
  /** Stops between objects (what was done is recorded by the caller). */
  signal?: AbortSignal;
  /**
   * Called before an object is replaced or deleted. A caller that must survive a crash records
   * the change here: after the write, a rerun finds nothing left to remove in that object, so
   * this is the only moment its dates are known.
   */
  beforeWrite?: (change: RawObjectChange) => Promise<void>;
}

export interface RawRewriteReport {
  objectsScanned: number;
  objectsRewritten: number;
  objectsDeleted: number;
  linesRemoved: number;
  /** Lines that are not JSON: kept as they are (nobody can be told apart in them). */
  unreadableLines: number;
  /** Sorted union of the changes' dates. */
  dates: string[];
  changes: RawObjectChange[];
}

/**
 * Removes the lines of erased people from a tenant's raw objects. An object holding such lines
 * is replaced, under the same key and with one atomic put, by its own bytes minus those lines
 * (every other byte and the line order unchanged); one holding nothing else is deleted, which is
 * what the archiver would have written had the person been excluded from the start. Objects
 * without such lines are only read. Idempotent: a second run finds nothing and writes nothing.
 *
 * @example
 * const report = await eraseFromRawStore({ store, tenantId: 'acme', matcher: await loadErasures(store, 'acme') });
 * await runBatchForDates(report.dates);
 */
export async function eraseFromRawStore(options: RawRewriteOptions): Promise<RawRewriteReport> {
  const { store, tenantId, matcher } = options;
  const report: RawRewriteReport = { objectsScanned: 0, objectsRewritten: 0, objectsDeleted: 0, linesRemoved: 0, unreadableLines: 0, dates: [], changes: [] };
  const keys = await rawObjectKeysOf(store, tenantId);
  await forEachLimited(keys, options.concurrency ?? 4, async (key) => {
    const body = await store.get(key);
    if (!body) return;
    report.objectsScanned++;
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const kept: Buffer[] = [];
    const dates = new Set<string>();
    let removed = 0;
    for (const { start, end, next } of lineRanges(bytes)) {
      let event: AnalyticsEvent | undefined;
      try {
        event = JSON.parse(bytes.toString('utf8', start, end)) as AnalyticsEvent;
      } catch {
        report.unreadableLines++;
      }
      if (event && typeof event === 'object' && matcher.isErased(event.tenantId === tenantId ? event : { ...event, tenantId })) {
        removed++;
        dates.add(rawPartitionOf(event).date);
      } else {
        kept.push(bytes.subarray(start, next));
      }
    }
    if (removed === 0) return;
    const folder = rawKeyDate(key);
    if (folder) dates.add(folder);
    const change: RawObjectChange = { key, linesRemoved: removed, deleted: kept.length === 0, dates: [...dates].sort() };
    await options.beforeWrite?.(change);
    if (change.deleted) await store.delete(key);
    else await store.put(key, Buffer.concat(kept));
    report.changes.push(change);
    report.objectsRewritten++;
    if (change.deleted) report.objectsDeleted++;
    report.linesRemoved += removed;
  }, options.signal);
  report.changes.sort((a, b) => (a.key < b.key ? -1 : 1));
  report.dates = [...new Set(report.changes.flatMap((c) => c.dates))].sort();
  return report;
}
