import type { LogRecord } from './event-log.ts';

/**
 * The last records one partition's writer appended, as it appended them: the consumers of this
 * process (speed layer, archiver) read the tail moments after each append, so they get these
 * records without reading the file or parsing JSON again. Holds only durable records (pushed
 * after the fsync): those appended in the last `keepMs`, at most `limit`; older reads go to the
 * file. Bounded by time, so the memory follows the event rate rather than the partition count.
 */
export class RecentRecords {
  private records: LogRecord[] = [];
  private times: number[] = [];
  /** Offset of `records[0]`. */
  private base = 0;
  /** Index of the oldest record still held; those before it wait for the next compaction. */
  private head = 0;

  constructor(
    private readonly limit: number,
    private readonly keepMs: number,
  ) {}

  /** Records appended from `offset` on at `at` (ms), in order; a gap (never expected) starts afresh. */
  push(offset: number, records: LogRecord[], at: number): void {
    if (this.limit <= 0) return;
    if (offset !== this.base + this.records.length) {
      this.records = [];
      this.times = [];
      this.base = offset;
      this.head = 0;
    }
    for (const record of records) {
      this.records.push(record);
      this.times.push(at);
    }
    this.head = Math.max(this.head, this.records.length - this.limit);
    while (this.head < this.times.length && this.times[this.head]! <= at - this.keepMs) this.head++;
    // Compacted once half is dropped: amortised, rather than a shift per record.
    if (this.head > this.records.length / 2) {
      this.records = this.records.slice(this.head);
      this.times = this.times.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }

  /** Up to `max` records from `from` when they are held, else undefined (read the file). */
  read(from: number, max: number): LogRecord[] | undefined {
    const start = from - this.base;
    if (start < this.head || start >= this.records.length) return undefined;
    return this.records.slice(start, start + max);
  }
}
