import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import { AppendSignal } from './append-signal.ts';
import { type AppendRecord, type EventLog, type LogRecord, partitionFor } from './event-log.ts';
import { type AppendedRecord, FilePartition, fsyncDir } from './file-partition.store.ts';
import { acquireWriterLock } from './file-log.lock.ts';
import { retentionMs as toRetentionMs } from './log-retention.ts';

export interface FileLogOptions {
  dir: string;
  partitions: number;
  /** How long an append from an idle log lingers so that concurrent appends share its fsync. Default 2. */
  groupCommitMs?: number;
  /** A segment is sealed and a new one started once it reaches this size. Default 64 MiB. */
  segmentBytes?: number;
  /**
   * Segments last written longer ago are deleted by the writer, at open and every few minutes;
   * the tail segment too once it is that old (a new empty one takes its place), so a partition
   * that went quiet ages out as well. Default: keep forever.
   */
  retentionHours?: number;
  /**
   * `'writer'` (default): the one process that appends; takes the directory lock.
   * `'reader'`: another process (e.g. a separate speed layer) that only reads; it takes no lock,
   * re-scans the tail on each read and is woken by file-system notifications. A reader sees what
   * the writer wrote once it is in the OS page cache, slightly before the writer's fsync returns.
   */
  mode?: 'writer' | 'reader';
  clock?: () => number;
  /**
   * How many of its last appended records per partition the writer keeps in memory, so that
   * readers in the same process (the embedded speed layer and archiver) read the tail without
   * the file and JSON parsing, sharing the appended objects. Default 65,536; 0 turns it off.
   */
  recentRecords?: number;
  /**
   * How long after its append a record stays there. Default 2,000 ms: the archiver reads up to
   * a flush (one second of events) and then a flush's duration behind the tail.
   */
  recentMs?: number;
}

export interface FileEventLog extends EventLog {
  /** Applies retention now (it also runs on open and periodically). */
  enforceRetention(): Promise<void>;
}

interface PendingAppend {
  resolve: () => void;
  reject: (err: unknown) => void;
}

const META_FILE = 'log.json';
const DEFAULT_RECENT_RECORDS = 65_536;
const DEFAULT_RECENT_MS = 2000;
/** The longest wait between two retention passes; shorter for a short retention. */
const RETENTION_PASS_MS = 5 * 60_000;

/** Records the partition count on first open: reopening with another count would move tenants between partitions. */
async function checkMeta(dir: string, partitions: number, writable: boolean): Promise<void> {
  const path = join(dir, META_FILE);
  const existing = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (existing === undefined) {
    if (writable) {
      // Written aside and renamed so a crash never leaves a half-written file that blocks the next open.
      await writeFile(`${path}.tmp`, JSON.stringify({ format: 1, partitions }), { flush: true });
      await rename(`${path}.tmp`, path);
      await fsyncDir(dir);
    }
    return;
  }
  const meta = JSON.parse(existing) as { partitions: number };
  if (meta.partitions !== partitions) {
    throw new Error(`event log ${dir} has ${meta.partitions} partitions, opened with ${partitions}`);
  }
}

/**
 * The embedded event log: per-partition segment files of CRC-framed JSON records.
 * `append` resolves once the records are fsync'd; appends arriving while an fsync runs
 * (or within `groupCommitMs` of an idle log) share the next one.
 *
 * @example
 * const log = await createFileLog({ dir: './data/events', partitions: 8 });
 * await log.append([{ key: event.tenantId, value: event }]);
 */
export async function createFileLog(options: FileLogOptions): Promise<FileEventLog> {
  const { dir, partitions } = options;
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError('partitions must be a positive integer');
  const writable = (options.mode ?? 'writer') === 'writer';
  const clock = options.clock ?? Date.now;
  const groupCommitMs = options.groupCommitMs ?? 2;
  const segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
  const retentionMs = toRetentionMs(options.retentionHours);

  if (writable) await mkdir(dir, { recursive: true });
  const releaseLock = writable ? await acquireWriterLock(dir) : async () => {};
  const parts: FilePartition[] = [];
  try {
    await checkMeta(dir, partitions, writable);
    for (let p = 0; p < partitions; p++) {
      parts.push(await FilePartition.open({ dir, partition: p, segmentBytes, clock, writable, recentRecords: options.recentRecords ?? DEFAULT_RECENT_RECORDS, recentMs: options.recentMs ?? DEFAULT_RECENT_MS }));
    }
  } catch (err) {
    await Promise.all(parts.map((part) => part.close()));
    await releaseLock();
    throw err;
  }

  const signal = new AppendSignal();
  let pendingRecords = new Map<number, AppendedRecord[]>();
  let pendingCalls: PendingAppend[] = [];
  let flushQueued = false;
  let flushing = false;
  let lingerTimer: NodeJS.Timeout | undefined;
  let failure: unknown;
  let closed = false;
  // Every write, roll and deletion runs on this chain, one at a time.
  let chain: Promise<void> = Promise.resolve();
  const serially = (task: () => Promise<void>): Promise<void> => {
    const run = chain.then(task);
    chain = run.catch(() => {});
    return run;
  };

  const flush = async (): Promise<void> => {
    flushQueued = false;
    lingerTimer = undefined;
    const batches = pendingRecords;
    const calls = pendingCalls;
    pendingRecords = new Map();
    pendingCalls = [];
    if (failure !== undefined) {
      for (const call of calls) call.reject(failure);
      return;
    }
    flushing = true;
    try {
      await Promise.all([...batches].map(([p, records]) => parts[p]!.appendDurably(records)));
    } catch (err) {
      // The files may now hold a partial write the index does not know about: refuse further
      // appends; reopening scans the files and truncates whatever is torn.
      failure = err;
      for (const call of calls) call.reject(err);
      return;
    } finally {
      flushing = false;
    }
    for (const call of calls) call.resolve();
    for (const p of batches.keys()) signal.notify(p);
  };

  const scheduleFlush = (): void => {
    if (flushQueued) return;
    flushQueued = true;
    // While an fsync runs, appends gather behind it anyway; an idle log lingers briefly instead.
    if (!flushing && groupCommitMs > 0) lingerTimer = setTimeout(() => void serially(flush), groupCommitMs);
    else void serially(flush);
  };

  const enforceRetention = (): Promise<void> => {
    if (retentionMs === undefined || !writable) return Promise.resolve();
    return serially(async () => {
      const cutoff = clock() - retentionMs;
      for (const part of parts) await part.deleteOlderThan(cutoff);
    });
  };
  await enforceRetention();
  // A failed pass (disk error) is retried by the next one; appends report their own failures.
  const retentionTimer =
    retentionMs === undefined || !writable
      ? undefined
      : setInterval(() => void enforceRetention().catch(() => {}), Math.min(retentionMs / 10, RETENTION_PASS_MS));
  retentionTimer?.unref();

  // Reader mode: the writer is another process, so the file system tells us when it wrote.
  const watchers: FSWatcher[] = [];
  if (!writable) {
    for (let p = 0; p < partitions; p++) {
      try {
        const watcher = watch(join(dir, `p-${p}`), () => signal.notify(p));
        watcher.on('error', () => {});
        watchers.push(watcher);
      } catch {
        // Partition directory not created yet by the writer: reads still re-scan, just without wake-ups.
      }
    }
  }

  const checkPartition = (partition: number): FilePartition => {
    const part = parts[partition];
    if (!Number.isInteger(partition) || !part) throw new RangeError(`partition ${partition} is not in 0..${partitions - 1}`);
    return part;
  };

  return {
    partitions,

    append(records: AppendRecord[]): Promise<void> {
      if (closed) return Promise.reject(new Error('event log is closed'));
      if (!writable) return Promise.reject(new Error('event log opened in reader mode cannot append'));
      if (failure !== undefined) return Promise.reject(failure);
      if (records.length === 0) return Promise.resolve();
      for (const { key, value } of records) {
        const p = partitionFor(key, partitions);
        let batch = pendingRecords.get(p);
        if (!batch) pendingRecords.set(p, (batch = []));
        // Serialised here, in the caller's turn: a value JSON cannot write fails its own append.
        batch.push({ key, value, json: JSON.stringify(value) });
      }
      return new Promise<void>((resolve, reject) => {
        pendingCalls.push({ resolve, reject });
        scheduleFlush();
      });
    },

    async read(partition, from, { max, waitMs = 0 }): Promise<LogRecord[]> {
      const part = checkPartition(partition);
      const deadline = Date.now() + waitMs;
      for (;;) {
        const seen = signal.version(partition);
        if (!writable) await part.refresh();
        const records = await part.read(from, max);
        const remaining = deadline - Date.now();
        if (records.length > 0 || remaining <= 0 || closed) return records;
        await signal.wait(partition, remaining, seen);
        if (closed) return [];
      }
    },

    async bounds(partition) {
      const part = checkPartition(partition);
      if (!writable) await part.refresh();
      return { first: part.first(), next: part.next() };
    },

    enforceRetention,

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (retentionTimer) clearInterval(retentionTimer);
      for (const watcher of watchers) watcher.close();
      if (lingerTimer) {
        clearTimeout(lingerTimer);
        await serially(flush);
      }
      await serially(async () => {});
      signal.notifyAll();
      await Promise.all(parts.map((part) => part.close()));
      await releaseLock();
    },
  };
}
