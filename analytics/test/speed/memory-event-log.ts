import { partitionFor, type AppendRecord, type EventLog, type LogRecord } from '../../src/log/event-log.ts';

/** A minimal in-process EventLog for speed and query tests: positioned reads, waits, no durability. */
export function createMemoryEventLog(partitions: number): EventLog & { appendTo(partition: number, records: AppendRecord[]): void } {
  const data: LogRecord[][] = Array.from({ length: partitions }, () => []);
  let waiters: (() => void)[] = [];
  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const w of woken) w();
  };
  const appendTo = (partition: number, records: AppendRecord[]) => {
    const target = data[partition]!;
    for (const r of records) target.push({ partition, offset: target.length, key: r.key, value: r.value });
    wake();
  };
  return {
    partitions,
    appendTo,
    async append(records) {
      for (const r of records) appendTo(partitionFor(r.key, partitions), [r]);
    },
    async read(partition, from, { max, waitMs = 0 }) {
      const slice = () => data[partition]!.slice(from, from + max);
      if (slice().length === 0 && waitMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return slice();
    },
    async bounds(partition) {
      return { first: 0, next: data[partition]!.length };
    },
    async close() {
      wake();
    },
  };
}
