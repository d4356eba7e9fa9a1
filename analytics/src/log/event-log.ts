import type { AnalyticsEvent } from '../contracts/index.ts';

/** A record as stored in the log: its partition and offset are its identity. */
export interface LogRecord {
  partition: number;
  /** Dense, increasing per partition, starting at 0 (or at the first retained offset). */
  offset: number;
  /** Partition key: the tenant id, so one tenant's events stay ordered on one partition. */
  key: string;
  /** Shared with every other reader of the record in this process: read it, never change it. */
  value: AnalyticsEvent;
  /**
   * `value`'s JSON text (`JSON.stringify(value)`) as UTF-8, when the adapter has it at hand (the
   * file log: the bytes of the record's frame). A view into a buffer shared like `value`: read it,
   * never change it.
   */
  jsonBytes?: Uint8Array;
}

export interface AppendRecord {
  key: string;
  value: AnalyticsEvent;
}

/**
 * The durable log between the collector and everything downstream (Kafka in the seed).
 * Consumers keep their own positions (the speed layer stores them atomically with its
 * aggregates, the archiver next to its files), so the port only needs positioned reads.
 * Adapters: embedded file log (default), NATS JetStream, Kafka. One contract suite covers all.
 */
export interface EventLog {
  readonly partitions: number;
  /** Resolves only once every record is durable (fsync'd / acknowledged by the broker). */
  append(records: AppendRecord[]): Promise<void>;
  /** Up to `max` records of `partition` from `from` (inclusive); waits up to `waitMs` when none are there yet. */
  read(partition: number, from: number, options: { max: number; waitMs?: number }): Promise<LogRecord[]>;
  /** First retained offset and the offset the next append will get. */
  bounds(partition: number): Promise<{ first: number; next: number }>;
  close(): Promise<void>;
}

/** Which partition a key goes to: the same function in every adapter and every process. */
export function partitionFor(key: string, partitions: number): number {
  // FNV-1a: stable across processes and languages, cheap, and good enough spread for tenant ids.
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
