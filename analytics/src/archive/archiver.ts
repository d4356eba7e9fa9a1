import type { Logger } from '@shop/platform';
import type { EventLog, LogRecord } from '../log/event-log.ts';
import { ownedPartitions } from '../log/partition-ownership.ts';
import type { ObjectStore } from '../storage/object-store.ts';
import { readFlushIntent, readPosition, writeFlushIntent, writePosition } from './archive-positions.ts';
import { encodeRawObjects } from './raw-layout.ts';

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
}

export interface ArchiverStats {
  /** Records written (a flush retried after a failure counts once). */
  events: number;
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
  const { log, store, logger } = options;
  const flushRecords = options.flushRecords ?? 10_000;
  const flushMs = options.flushMs ?? 1000;
  if (!Number.isInteger(flushRecords) || flushRecords < 1) throw new RangeError('flushRecords must be a positive integer');
  const members = options.members ?? { index: 0, count: 1 };
  const owned = ownedPartitions(members.index, members.count, log.partitions);
  const stats: ArchiverStats = { events: 0, flushes: 0, objects: 0, bytes: 0, failures: 0 };
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

  const flush = async (s: PartitionState): Promise<void> => {
    const { partition, from, next: to, records } = s;
    const objects = encodeRawObjects(partition, from, to, records);
    if (s.cutAt === undefined) {
      await writeFlushIntent(store, partition, from, to);
      s.cutAt = to;
    }
    for (let i = 0; i < objects.length; i += PUT_CONCURRENCY) {
      await Promise.all(objects.slice(i, i + PUT_CONCURRENCY).map((o) => store.put(o.key, o.body)));
    }
    await writePosition(store, partition, to);
    s.from = to;
    s.records = [];
    s.cutAt = undefined;
    stats.events += records.length;
    stats.flushes++;
    stats.objects += objects.length;
    for (const o of objects) stats.bytes += Buffer.byteLength(o.body);
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
