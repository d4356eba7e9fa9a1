import { partitionFor, type AppendRecord, type EventLog, type LogRecord } from '../../../src/log/index.ts';

/**
 * A tiny in-test EventLog: appends are kept in memory; `failNext(n)` makes the next n
 * appends reject (a broker outage) so tests can check that nothing is acknowledged or
 * lost. Not a stand-in for the real adapters, which have their own contract suite.
 */
export function createMemoryEventLog(partitions = 4): EventLog & { records(): AppendRecord[]; failNext(n: number): void } {
  const byPartition = Array.from({ length: partitions }, () => [] as LogRecord[]);
  const all: AppendRecord[] = [];
  let failures = 0;
  return {
    partitions,
    async append(records) {
      if (failures > 0) {
        failures--;
        throw new Error('log unavailable (test)');
      }
      for (const record of records) {
        const partition = partitionFor(record.key, partitions);
        const list = byPartition[partition]!;
        list.push({ partition, offset: list.length, key: record.key, value: structuredClone(record.value) });
        all.push(structuredClone(record));
      }
    },
    async read(partition, from, { max, waitMs }) {
      const available = () => (byPartition[partition] ?? []).slice(from, from + max);
      // Consumers (the in-process speed layer) poll with waitMs; answering at once would spin.
      if (available().length === 0 && waitMs) await new Promise((resolve) => setTimeout(resolve, waitMs));
      return available();
    },
    async bounds(partition) {
      return { first: 0, next: byPartition[partition]?.length ?? 0 };
    },
    async close() {},
    records: () => all,
    failNext(n) {
      failures = n;
    },
  };
}
