import { type FileHandle, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord } from './event-log.ts';
import { decodeFrames, encodeFrames, scanFrames } from './log-frame.codec.ts';
import { RecentRecords } from './recent-records.ts';

const SEGMENT_SUFFIX = '.seg';

/** Thrown when a sealed (non-tail) segment is damaged: that is data loss, not a torn write. */
export class EventLogCorruptError extends Error {
  readonly code = 'EVENT_LOG.CORRUPT';
}

/** Byte position of every record of a segment; 4 bytes per record keeps millions of records cheap. */
class PositionIndex {
  private data = new Uint32Array(1024);
  length = 0;
  push(position: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = position;
  }
  at(i: number): number {
    return this.data[i] ?? 0;
  }
}

interface Segment {
  base: number;
  path: string;
  handle: FileHandle;
  positions: PositionIndex;
  /** Bytes of intact, durable frames; the write position. */
  size: number;
  lastWriteMs: number;
  /** Reads in flight: a segment deleted by retention is closed only when they are done. */
  readers: number;
  deleted: boolean;
}

export interface PartitionOptions {
  dir: string;
  partition: number;
  segmentBytes: number;
  clock: () => number;
  /** Writer: truncate a torn tail and create the first segment. Reader: leave files untouched. */
  writable: boolean;
  /** How many of its last appended records the writer keeps for readers in this process (0: none)... */
  recentRecords?: number;
  /** ...and for how long after their append (ms). */
  recentMs?: number;
}

/** A record as the writer appends it: its value and that value's JSON text (`JSON.stringify(value)`). */
export interface AppendedRecord {
  key: string;
  value: LogRecord['value'];
  json: string;
}

function segmentName(base: number): string {
  return `${String(base).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

export async function fsyncDir(dir: string): Promise<void> {
  // A new or removed file is durable only once its directory entry is.
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * One partition of the file log: an ordered list of segment files named by their first offset,
 * and an in-memory offset -> byte position index rebuilt by scanning on open.
 */
export class FilePartition {
  private segments: Segment[] = [];
  private readonly recent: RecentRecords;

  private constructor(
    private readonly options: PartitionOptions,
    private readonly dir: string,
  ) {
    this.recent = new RecentRecords(options.writable ? (options.recentRecords ?? 0) : 0, options.recentMs ?? 0);
  }

  static async open(options: PartitionOptions): Promise<FilePartition> {
    const dir = join(options.dir, `p-${options.partition}`);
    const part = new FilePartition(options, dir);
    if (options.writable) {
      await mkdir(dir, { recursive: true });
      await fsyncDir(options.dir);
    }
    await part.loadNewSegments();
    if (options.writable && part.segments.length === 0) await part.createSegment(0);
    return part;
  }

  first(): number {
    return this.segments[0]?.base ?? 0;
  }

  next(): number {
    const last = this.segments.at(-1);
    return last ? last.base + last.positions.length : 0;
  }

  /**
   * Writes the records' frames at the end of the tail segment and fdatasyncs them; only then are
   * they indexed and visible to readers, so nothing not yet durable is ever read. The records are
   * then kept for this process's readers of the tail, each with its value's bytes in the frame.
   */
  async appendDurably(records: AppendedRecord[]): Promise<void> {
    let tail = this.tail();
    if (tail.size >= this.options.segmentBytes && tail.positions.length > 0) tail = await this.createSegment(this.next());
    const firstOffset = this.next();
    const { data, starts, values } = encodeFrames(records);
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await tail.handle.write(data, written, data.length - written, tail.size + written);
      written += bytesWritten;
    }
    await tail.handle.datasync();
    for (const start of starts) tail.positions.push(tail.size + start);
    tail.size += data.length;
    tail.lastWriteMs = this.options.clock();
    const { partition } = this.options;
    this.recent.push(firstOffset, records.map(({ key, value }, i) => ({ partition, offset: firstOffset + i, key, value, jsonBytes: values[i]! })), performance.now());
  }

  /** Up to `max` records from `from`; starts at the first retained offset if `from` was deleted. */
  async read(from: number, max: number): Promise<LogRecord[]> {
    let offset = Math.max(from, this.first());
    const recent = this.recent.read(offset, max);
    if (recent) return recent;
    const out: LogRecord[] = [];
    while (out.length < max && offset < this.next()) {
      // Retention removed the next segment while this read waited on the file: stop at what is read.
      if (offset < this.first()) break;
      const seg = this.segmentOf(offset);
      if (!seg) break;
      const startIdx = offset - seg.base;
      const endIdx = Math.min(seg.positions.length, startIdx + (max - out.length));
      const start = seg.positions.at(startIdx);
      const end = endIdx < seg.positions.length ? seg.positions.at(endIdx) : seg.size;
      const buf = Buffer.allocUnsafe(end - start);
      seg.readers++;
      try {
        let got = 0;
        while (got < buf.length) {
          const { bytesRead } = await seg.handle.read(buf, got, buf.length - got, start + got);
          if (bytesRead === 0) throw new EventLogCorruptError(`segment ${seg.path} is shorter than its index`);
          got += bytesRead;
        }
      } finally {
        seg.readers--;
        if (seg.deleted && seg.readers === 0) await seg.handle.close().catch(() => {});
      }
      for (const { key, value, jsonBytes } of decodeFrames(buf)) {
        out.push({ partition: this.options.partition, offset: offset++, key, value, ...(jsonBytes === undefined ? {} : { jsonBytes }) });
      }
    }
    return out;
  }

  /**
   * Deletes whole segments last written before `cutoffMs`. The tail is first sealed (a new empty
   * tail starts at `next`) when it is itself too old, so a quiet partition still ages out.
   */
  async deleteOlderThan(cutoffMs: number): Promise<void> {
    const tail = this.tail();
    if (tail.positions.length > 0 && tail.lastWriteMs < cutoffMs) await this.createSegment(this.next());
    let removed = 0;
    while (this.segments.length > 1 && this.segments[0]!.lastWriteMs < cutoffMs) {
      const seg = this.segments.shift()!;
      seg.deleted = true;
      await unlink(seg.path);
      if (seg.readers === 0) await seg.handle.close();
      removed++;
    }
    if (removed > 0) await fsyncDir(this.dir);
  }

  /**
   * Reader-process mode: picks up what the writer process appended since the last look
   * (growth of the tail, new segments, segments removed by retention). A partial frame at
   * the end is a write in progress, so it is left for the next refresh, never truncated.
   */
  async refresh(): Promise<void> {
    const names = new Set(await this.listSegmentNames());
    while (this.segments.length > 0 && !names.has(segmentName(this.segments[0]!.base))) {
      const seg = this.segments.shift()!;
      seg.deleted = true;
      if (seg.readers === 0) await seg.handle.close();
    }
    const tail = this.segments.at(-1);
    if (tail) await this.scanTail(tail, false);
    await this.loadNewSegments();
  }

  async close(): Promise<void> {
    for (const seg of this.segments) await seg.handle.close().catch(() => {});
    this.segments = [];
  }

  private tail(): Segment {
    const tail = this.segments.at(-1);
    if (!tail) throw new Error('event log partition has no segment (opened read-only on an empty directory?)');
    return tail;
  }

  private segmentOf(offset: number): Segment | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.base <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo];
  }

  private async listSegmentNames(): Promise<string[]> {
    const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw err;
    });
    return names.filter((n) => n.endsWith(SEGMENT_SUFFIX)).sort();
  }

  /** Opens and scans segments not yet known (all of them on open). */
  private async loadNewSegments(): Promise<void> {
    const known = this.next();
    const fresh = (await this.listSegmentNames())
      .map((name) => ({ name, base: Number(name.slice(0, -SEGMENT_SUFFIX.length)) }))
      .filter((s) => this.segments.length === 0 || s.base >= known);
    for (const [i, { name, base }] of fresh.entries()) {
      if (this.segments.length > 0 && base !== this.next()) {
        throw new EventLogCorruptError(`segment ${name} starts at ${base} but the previous one ends at ${this.next()}`);
      }
      const path = join(this.dir, name);
      const handle = await open(path, this.options.writable ? 'r+' : 'r');
      const seg: Segment = {
        base,
        path,
        handle,
        positions: new PositionIndex(),
        size: 0,
        lastWriteMs: (await handle.stat()).mtimeMs,
        readers: 0,
        deleted: false,
      };
      this.segments.push(seg);
      await this.scanTail(seg, this.options.writable && i === fresh.length - 1);
      const sealed = i < fresh.length - 1;
      if (sealed && seg.size !== (await handle.stat()).size && this.options.writable) {
        throw new EventLogCorruptError(`sealed segment ${path} is damaged at byte ${seg.size}`);
      }
    }
  }

  /** Indexes intact frames after `seg.size`; the writer truncates a torn tail left by a crash. */
  private async scanTail(seg: Segment, repair: boolean): Promise<void> {
    const fileSize = (await seg.handle.stat()).size;
    if (fileSize <= seg.size) return;
    const buf = Buffer.allocUnsafe(fileSize - seg.size);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await seg.handle.read(buf, got, buf.length - got, seg.size + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const { starts, end } = scanFrames(buf.subarray(0, got));
    for (const start of starts) seg.positions.push(seg.size + start);
    seg.size += end;
    if (repair && seg.size < fileSize) {
      await seg.handle.truncate(seg.size);
      await seg.handle.datasync();
    }
  }

  private async createSegment(base: number): Promise<Segment> {
    const path = join(this.dir, segmentName(base));
    const handle = await open(path, 'wx+');
    await fsyncDir(this.dir);
    const seg: Segment = {
      base,
      path,
      handle,
      positions: new PositionIndex(),
      size: 0,
      lastWriteMs: this.options.clock(),
      readers: 0,
      deleted: false,
    };
    this.segments.push(seg);
    return seg;
  }
}
