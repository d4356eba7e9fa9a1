import { connect, nanos } from '@nats-io/transport-node';
import { DiscardPolicy, jetstreamManager, type JetStreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { type AppendRecord, type EventLog, type LogRecord, partitionFor } from './event-log.ts';
import { retentionMs } from './log-retention.ts';
import { NatsPartitionReader } from './nats-partition.reader.ts';
import { NatsPublishPipeline } from './nats-publish.pipeline.ts';

export interface NatsLogOptions {
  /** Every server of a cluster (an array or comma-separated), so the client fails over to a survivor. */
  servers: string | string[];
  /** Names the streams `<prefix>_<p>` with subjects `<prefix>.<p>`; letters, digits, `_` and `-`. */
  streamPrefix: string;
  partitions: number;
  /**
   * JetStream replicas per stream (3 on a three-node cluster). Given: applied to existing streams
   * too, like `retentionHours`. Not given: new streams get 1 and existing ones keep theirs, so a
   * reader process started without it cannot shrink a cluster's streams to one copy.
   */
  replicas?: number;
  /**
   * Messages older than this are removed by the server (the streams' `max_age`). Applied to
   * existing streams too, so every process that gives it must give the same value. Not given: new
   * streams keep messages forever and existing ones keep their `max_age`, so a CLI started without
   * it cannot lift the retention erasure relies on (docs/adr/0018).
   */
  retentionHours?: number;
}

/** How long a stream remembers message ids (JetStream's default, stated so the docs can rely on it). */
export const DUPLICATE_WINDOW_MS = 120_000;

/** Readers (each one consumer) kept per partition: enough for the speed layer, the archiver and a rebuild in one process. */
const READERS_PER_PARTITION = 4;

interface PooledReader {
  reader: NatsPartitionReader;
  /** The reader's last read: the next read waits for it. */
  queue: Promise<unknown>;
  /** Reads queued or running on it. */
  busy: number;
  /** Where its last read ended: the offset a reader continuing there asks for next. */
  next: number;
  usedAt: number;
}

/** `nats://a:4222,nats://b:4222` or a list: one entry per server. */
export function natsServers(servers: string | readonly string[]): string[] {
  return (typeof servers === 'string' ? servers.split(',') : [...servers]).map((s) => s.trim()).filter(Boolean);
}

export function natsStreamName(streamPrefix: string, partition: number): string {
  return `${streamPrefix}_${partition}`;
}

function natsSubject(streamPrefix: string, partition: number): string {
  return `${streamPrefix}.${partition}`;
}

/** The description doubles as a marker of the partition count, checked on every open. */
function describe(partition: number, partitions: number): string {
  return `event log partition ${partition} of ${partitions}`;
}

async function ensureStream(jsm: JetStreamManager, options: NatsLogOptions, partition: number): Promise<void> {
  const name = natsStreamName(options.streamPrefix, partition);
  const maxAgeMs = retentionMs(options.retentionHours);
  const config: Partial<StreamConfig> & { name: string } = {
    name,
    subjects: [natsSubject(options.streamPrefix, partition)],
    description: describe(partition, options.partitions),
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: options.replicas ?? 1,
    // A resend after a lost ack (node loss, leader election) carries the same Nats-Msg-Id and is
    // stored once if it comes within this window; the append gives up long before it ends.
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    // 0 is JetStream's "no limit".
    max_age: maxAgeMs === undefined ? 0 : nanos(maxAgeMs),
  };
  const existing = await jsm.streams.info(name).catch((err: unknown) => {
    if (err instanceof Error && /not found/i.test(err.message)) return undefined;
    throw err;
  });
  if (!existing) {
    await jsm.streams.add(config);
    return;
  }
  if (existing.config.description !== config.description) {
    throw new Error(`stream ${name} is "${existing.config.description}", expected "${config.description}": partition count changed?`);
  }
  // Not given: the stream keeps its own (see retentionHours).
  const maxAge = maxAgeMs === undefined ? existing.config.max_age : config.max_age;
  const replicas = options.replicas ?? existing.config.num_replicas;
  if (existing.config.max_age !== maxAge || existing.config.num_replicas !== replicas) {
    await jsm.streams.update(name, { ...existing.config, max_age: maxAge, num_replicas: replicas });
  }
}

/**
 * The event log on NATS JetStream: one file-backed stream per partition, so a stream's
 * sequence numbers are the partition's dense offsets (offset = sequence - 1). `append` awaits
 * every publish ack; `read` pulls batches through an ephemeral consumer positioned at `from`.
 * Each record carries `Nats-Msg-Id` = `<key>/<messageId>`: a publish sent again after a node loss,
 * or a client's resend of an append that failed part-way, is stored once within the stream's
 * duplicate window (`DUPLICATE_WINDOW_MS`); after it a resend is stored again (at-least-once).
 *
 * @example
 * const log = await createNatsLog({ servers: 'nats://127.0.0.1:4222', streamPrefix: 'EVENTS', partitions: 8 });
 */
export async function createNatsLog(options: NatsLogOptions): Promise<EventLog> {
  const { partitions, streamPrefix } = options;
  if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError('partitions must be a positive integer');
  if (!/^[A-Za-z0-9_-]+$/.test(streamPrefix)) throw new Error(`invalid streamPrefix ${JSON.stringify(streamPrefix)}`);
  // Never give up reconnecting: a process outlives any one node of the cluster.
  const nc = await connect({ servers: natsServers(options.servers), maxReconnectAttempts: -1, reconnectTimeWait: 500 });
  const jsm = await jetstreamManager(nc);
  try {
    for (let p = 0; p < partitions; p++) await ensureStream(jsm, options, p);
  } catch (err) {
    await nc.close();
    throw err;
  }
  const publisher = new NatsPublishPipeline(nc);
  const inFlight = new Set<Promise<void>>();
  const readers = new Map<number, PooledReader[]>();
  let closed = false;

  /*
   * Each reader holds one consumer, and a consumer has one position. Consumers of one process
   * (the speed layer, the archiver, a rebuild) read the same partition at different offsets, so
   * with one reader per partition every read of one moved the consumer away from the other and it
   * was deleted and created again at each turn. A read takes the reader that ends where it starts,
   * else an idle one (the least recently used), else a new one, up to READERS_PER_PARTITION.
   */
  const readerFor = (partition: number, from: number): PooledReader => {
    let pool = readers.get(partition);
    if (!pool) readers.set(partition, (pool = []));
    const idle = pool.filter((r) => r.busy === 0);
    const chosen =
      idle.find((r) => r.next === from) ??
      (pool.length < READERS_PER_PARTITION ? undefined : (idle.sort((a, b) => a.usedAt - b.usedAt)[0] ?? pool.reduce((a, b) => (a.busy <= b.busy ? a : b))));
    if (chosen) return chosen;
    const created: PooledReader = { reader: new NatsPartitionReader(nc, jsm, natsStreamName(streamPrefix, partition), partition), queue: Promise.resolve(), busy: 0, next: -1, usedAt: 0 };
    pool.push(created);
    return created;
  };

  const appendNow = async (records: AppendRecord[]): Promise<void> => {
    // All publishes go out at once (pipelined on one connection, so in order per subject);
    // then every ack is awaited: resolved means stored by the stream (file storage).
    const targets = records.map(({ key }) => partitionFor(key, partitions));
    const { seqs, resent, duplicate } = await publisher.publishAll(
      records.map(({ key, value }, i) => ({
        subject: natsSubject(streamPrefix, targets[i]!),
        data: JSON.stringify({ k: key, v: value }),
        msgId: `${key}/${value.messageId}`,
      })),
    );
    // A resend during a leader election may land after a later record that got through first,
    // and a duplicate keeps its first place: every record is stored once, in the stream's order
    // (docs/adr/0061).
    if (resent || duplicate) return;
    // Guard the ordering the port promises: a reordering would show as a decreasing sequence.
    const last = new Map<number, number>();
    for (const [i, seq] of seqs.entries()) {
      const partition = targets[i]!;
      if ((last.get(partition) ?? 0) >= seq) throw new Error(`JetStream stored partition ${partition} out of order`);
      last.set(partition, seq);
    }
  };

  const checkPartition = (partition: number): void => {
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) {
      throw new RangeError(`partition ${partition} is not in 0..${partitions - 1}`);
    }
  };

  return {
    partitions,

    async append(records: AppendRecord[]): Promise<void> {
      if (closed) throw new Error('event log is closed');
      const run = appendNow(records);
      inFlight.add(run);
      try {
        await run;
      } finally {
        inFlight.delete(run);
      }
    },

    async read(partition, from, { max, waitMs = 0 }): Promise<LogRecord[]> {
      checkPartition(partition);
      if (closed) throw new Error('event log is closed');
      const pooled = readerFor(partition, from);
      pooled.busy++;
      pooled.usedAt = performance.now();
      // One read at a time per reader: its consumer has a single position.
      const run = pooled.queue.catch(() => {}).then(() => pooled.reader.read(from, max, waitMs));
      pooled.queue = run;
      try {
        const records = await run;
        pooled.next = records.length > 0 ? records[records.length - 1]!.offset + 1 : from;
        return records;
      } finally {
        pooled.busy--;
      }
    },

    async bounds(partition) {
      checkPartition(partition);
      const { state } = await jsm.streams.info(natsStreamName(streamPrefix, partition));
      return { first: state.messages === 0 ? state.last_seq : state.first_seq - 1, next: state.last_seq };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const pooled = [...readers.values()].flat();
      for (const { reader } of pooled) reader.stop();
      await Promise.all([...inFlight, ...pooled.map((r) => r.queue)].map((q) => q.catch(() => {})));
      await Promise.all(pooled.map(({ reader }) => reader.close()));
      publisher.close();
      await nc.drain();
    },
  };
}
