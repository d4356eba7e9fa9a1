import type { LogRecord } from './event-log.ts';

/**
 * The last records one partition's writer appended, as it appended them: the consumers of this
 * process (speed layer, archiver) read the tail moments after each append, so they get these
 * records without reading the file or parsing JSON again. Holds only durable records (pushed
 * after the fsync) and between `limit` and twice `limit` of them; older reads go to the file.
 */
export class RecentRecords {
  private records: LogRecord[] = [];
  private first = 0;

  constructor(private readonly limit: number) {}

  /** Records appended from `offset` on, in order; a gap (never expected) starts the window afresh. */
  push(offset: number, records: LogRecord[]): void {
    if (this.limit <= 0) return;
    if (offset !== this.first + this.records.length) {
      this.records = [];
      this.first = offset;
    }
    for (const record of records) this.records.push(record);
    // Trimmed in one go once twice the limit: amortised, rather than a shift per record.
    if (this.records.length > 2 * this.limit) {
      this.first += this.records.length - this.limit;
      this.records = this.records.slice(-this.limit);
    }
  }

  /** Up to `max` records from `from` when the window holds `from`, else undefined (read the file). */
  read(from: number, max: number): LogRecord[] | undefined {
    const start = from - this.first;
    if (start < 0 || start >= this.records.length) return undefined;
    return this.records.slice(start, start + max);
  }
}
