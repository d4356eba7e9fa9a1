import type { Logger } from '@shop/platform';
import type { AnalyticsEvent } from '../contracts/index.ts';
import { type EventLog, type LogRecord, ownedPartitions } from '../log/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { readFlushIntent, readPosition, writeFlushIntent, writePosition } from './archive-positions.ts';
import { encodeRawObjects, rawObjectKey, rawPartitionOf, rewriteMarkerKey } from './raw-layout.ts';

export interface ArchiverOptions {
  log: EventLog;
  store: ObjectStore;
  logger: Logger;
  /** This process's share: partition p is archived by member p % count. Default: all partitions. */
  members?: { index: number; count: number };
  /** A flush covers at most this many records (a backlog is cut into exactly this many). Default 10,000. */
  flushRecords?: number;
  /** Once caught up with the log, records wait at most this long before they are written. Default 1,000 ms. */
  flushMs?: number;
  /**
   * Records to leave out of the raw objects (an erased person's, `watchErasures().isErased`);
   * their offsets still advance. For the same answers a retried flush writes identical files.
   */
  exclude?: (event: AnalyticsEvent) => boolean;
  /**
   * Brings what `exclude` consults up to date (`watchErasures().sync`). Called after a flush's
   * objects are durable and before its position is stored; when `exclude` then drops records the
   * flush kept, the flush is written again without them. See `flush` for why this closes the race.
   */
  syncExclude?: () => Promise<unknown>;
}

export interface ArchiverStats {
  /** Records written (a flush retried after a failure counts once). */
  events: number;
  /** Records left out by `exclude`. */
  excluded: number;
  flushes: number;
  objects: number;
  bytes: number;
  failures: number;
}

export interface Archiver {
  /** Writes what is buffered (best effort) and stops reading. */
  stop(): Promise<void>;
  stats(): ArchiverStats;
}

interface PartitionState {
  partition: number;
  /** Offset the buffer starts at: the stored position. */
  from: number;
  /** Offset the next read starts at. */
  next: number;
  records: LogRecord[];
  bufferedSince: number;
  /** Where a flush interrupted before its position was stored ended: the next flush must end there too. */
  cutAt: number | undefined;
  caughtUp: boolean;
}

const PUT_CONCURRENCY = 4;

/**
 * The archiver: copies the log into immutable raw NDJSON objects (layout in raw-layout.ts),
 * at least once, with names fixed by log offsets so that a repeated flush rewrites identical
 * files. Per partition it reads from the stored position, buffers up to `flushRecords`, writes
 * the flush's intent, its objects, then (only once all are durable) the new position.
 *
 * Flush boundaries are deterministic where they can be: a backlog is cut every `flushRecords`
 * records, and a partial flush happens only once the partition has caught up with the log,
 * so archiving a log again from position 0 rewrites the same objects.
 *
 * @example
 * const archiver = startArchiver({ log, store, logger, members: { index: 0, count: 2 } });
 * onShutdownSignal(logger, () => [{ name: 'archiver', stop: archiver.stop }]);
 */
export function startArchiver(options: ArchiverOptions): Archiver {
  const { log, store, logger, exclude } = options;
  const flushRecords = options.flushRecords ?? 10_000;
  const flushMs = options.flushMs ?? 1000;
  if (!Number.isInteger(flushRecords) || flushRecords < 1) throw new RangeError('flushRecords must be a positive integer');
  const members = options.members ?? { index: 0, count: 1 };
  const owned = ownedPartitions(members.index, members.count, log.partitions);
  const stats: ArchiverStats = { events: 0, excluded: 0, flushes: 0, objects: 0, bytes: 0, failures: 0 };
  let states: PartitionState[] | undefined;
  let running = true;

  const resume = async (): Promise<PartitionState[]> =>
    Promise.all(
      owned.map(async (partition) => {
        const next = (await readPosition(store, partition)) ?? (await log.bounds(partition)).first;
        const intent = await readFlushIntent(store, partition, next);
        return { partition, from: next, next, records: [], bufferedSince: 0, cutAt: intent?.to, caughtUp: false };
      }),
    );

  /** How many more records partition `s` may take into its current flush. */
  const room = (s: PartitionState): number => {
    const left = flushRecords - s.records.length;
    return s.cutAt === undefined ? left : Math.min(left, s.cutAt - s.next);
  };

  const due = (s: PartitionState, stopping: boolean): boolean =>
    s.records.length > 0 && (room(s) <= 0 || stopping || (s.caughtUp && performance.now() - s.bufferedSince >= flushMs));

  const readOnce = async (all: PartitionState[]): Promise<void> => {
    const readable = all.filter((s) => room(s) > 0);
    // Do not sit in a long poll while a full buffer waits to be written.
    const waitMs = readable.length < all.length ? 0 : Math.max(10, Math.min(flushMs, 200));
    const results = await Promise.all(readable.map((s) => log.read(s.partition, s.next, { max: room(s), waitMs })));
    readable.forEach((s, i) => {
      const records = results[i] ?? [];
      const asked = room(s);
      if (records.length > 0 && s.records.length === 0) s.bufferedSince = performance.now();
      for (const record of records) {
        s.records.push(record);
        s.next = record.offset + 1;
      }
      s.caughtUp = records.length < asked;
    });
  };

  const keep = (records: LogRecord[]): LogRecord[] => (exclude ? records.filter((r) => !exclude(r.value)) : records);

  /** Writes the objects of `kept`, and deletes those an earlier attempt may have written for groups now wholly excluded. */
  const writeObjects = async (partition: number, from: number, to: number, records: LogRecord[], kept: LogRecord[]) => {
    const objects = encodeRawObjects(partition, from, to, kept);
    for (let i = 0; i < objects.length; i += PUT_CONCURRENCY) {
      await Promise.all(objects.slice(i, i + PUT_CONCURRENCY).map((o) => store.put(o.key, o.body)));
    }
    if (kept.length < records.length) {
      const written = new Set(objects.map((o) => o.key));
      const stale = new Set<string>();
      for (const r of records) {
        const key = rawObjectKey({ ...rawPartitionOf(r.value), partition, from, to });
        if (!written.has(key)) stale.add(key);
      }
      for (const key of stale) await store.delete(key);
    }
    return objects;
  };

  /**
   * After the final objects of a flush that left records out: a marker per hour that lost lines.
   * This flush (or an attempt before a crash) may have put those objects with the records first,
   * and a batch may have read them then; the marker changes the day's manifest, so it recomputes.
   */
  const markRewrites = async (partition: number, from: number, to: number, records: LogRecord[], kept: LogRecord[]) => {
    const written = new Set(kept);
    const markers = new Set<string>();
    for (const r of records) if (!written.has(r)) markers.add(rewriteMarkerKey({ ...rawPartitionOf(r.value), partition, from, to }));
    const body = `${JSON.stringify({ partition, from, to })}\n`;
    for (const key of markers) await store.put(key, body);
  };

  /*
   * With an erasure list, a raw object whose last write ended after an erasure was recorded
   * never holds the person: after the objects are durable, syncExclude re-reads the list, and
   * if it now drops records this flush kept, the flush is written again (same keys). An object
   * written before the erasure was recorded is the eraser's: it lists the raw store only after
   * recording, so it sees that object. A crash between the two writes leaves the position
   * unmoved, and the restart repeats the flush with the list it reads then.
   */
  const flush = async (s: PartitionState): Promise<void> => {
    const { partition, from, next: to, records } = s;
    // A flush with an intent already cut was attempted before (a failure, or a crash before a restart).
    let overwrote = s.cutAt !== undefined;
    if (s.cutAt === undefined) {
      await writeFlushIntent(store, partition, from, to);
      s.cutAt = to;
    }
    let kept = keep(records);
    let objects = await writeObjects(partition, from, to, records, kept);
    if (options.syncExclude) {
      for (;;) {
        await options.syncExclude();
        const again = keep(records);
        if (again.length === kept.length && again.every((r, i) => r === kept[i])) break;
        kept = again;
        objects = await writeObjects(partition, from, to, records, kept);
        overwrote = true;
      }
    }
    // Only an overwrite can have replaced objects a batch read with the records in them.
    if (overwrote && kept.length < records.length) await markRewrites(partition, from, to, records, kept);
    await writePosition(store, partition, to);
    s.from = to;
    s.records = [];
    s.cutAt = undefined;
    stats.events += kept.length;
    stats.excluded += records.length - kept.length;
    stats.flushes++;
    stats.objects += objects.length;
    for (const o of objects) stats.bytes += o.body.length;
  };

  const flushDue = async (all: PartitionState[], stopping: boolean): Promise<void> => {
    const outcomes = await Promise.allSettled(all.filter((s) => due(s, stopping)).map(flush));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    // A failed flush keeps its buffer and its cut, so the retry writes the same objects.
    if (failed) throw failed.reason;
  };

  const loop = async () => {
    let failures = 0;
    while (running) {
      try {
        states ??= await resume();
        await readOnce(states);
        await flushDue(states, false);
        failures = 0;
      } catch (error) {
        failures++;
        stats.failures++;
        logger.error({ err: error, failures }, 'archiver step failed; retrying');
        await sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
      }
    }
    if (!states) return;
    try {
      await flushDue(states, true);
    } catch (error) {
      // Nothing is lost: the positions did not move, so the next start archives these records again.
      logger.warn({ err: error }, 'final archive flush failed; the records will be archived on the next start');
    }
  };

  logger.info({ partitions: owned, flushRecords, flushMs }, 'archiver started');
  const done = loop();
  return {
    async stop() {
      running = false;
      await done;
    },
    stats: () => ({ ...stats }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
