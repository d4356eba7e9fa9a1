import { randomUUID } from 'node:crypto';
import { type Admin, type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import type { AnalyticsEvent } from '../contracts/index.ts';
import { AppendSignal } from './append-signal.ts';
import { type AppendRecord, type EventLog, type LogRecord, partitionFor } from './event-log.ts';
import { retentionMs } from './log-retention.ts';

export interface KafkaLogOptions {
  brokers: string[];
  topic: string;
  partitions: number;
  clientId: string;
  /** Used only when this call creates the topic. Default 1. */
  replicationFactor?: number;
  /**
   * The topic's `retention.ms`, set only when this call creates the topic (change an existing
   * topic with kafka-configs). Default: the broker's `log.retention.*` (7 days out of the box).
   */
  retentionHours?: number;
}

/** Records fetched ahead of `read` per partition before that partition is paused. */
const BUFFER_HIGH_WATER = 5_000;
/** How long a read of records known to exist waits for the background fetch before giving up. */
const FETCH_TIMEOUT_MS = 30_000;

interface PartitionCursor {
  /** The offset the next delivered message must have; anything else is a stale fetch. */
  expected: number;
  /** Set by a seek: the first batch after it may start above `expected` (retention removed the rest). */
  seeking: boolean;
  buffer: LogRecord[];
  active: boolean;
}

/**
 * The event log on Kafka. Appends go to partition `partitionFor(key)` explicitly (not Kafka's
 * murmur2 partitioner) so every adapter places a tenant identically; the idempotent producer
 * with acks=all keeps per-partition order across retries. kafkajs has no manual partition
 * assignment, so positioned reads use one consumer in a group of its own (it is given every
 * partition), pause every partition nobody is reading and `seek` to the requested offset.
 * No offsets are committed: consumers keep their own positions.
 *
 * Verified by the shared contract suite only where `KAFKA_BROKERS` points at a broker.
 */
export async function createKafkaLog(options: KafkaLogOptions): Promise<EventLog> {
  const { topic, partitions } = options;
  const kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers, logLevel: logLevel.NOTHING });
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopic(admin, options);
  } catch (err) {
    await admin.disconnect();
    throw err;
  }
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const signal = new AppendSignal();
  const cursors = new Map<number, PartitionCursor>();
  let consumer: Consumer | undefined;
  let closed = false;

  const startConsumer = async (): Promise<Consumer> => {
    const c = kafka.consumer({ groupId: `${options.clientId}-reader-${randomUUID()}`, allowAutoTopicCreation: false });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const cursor = cursors.get(batch.partition);
        if (!cursor?.active) return;
        for (const message of batch.messages) {
          const offset = Number(message.offset);
          if (offset < cursor.expected || (offset > cursor.expected && !cursor.seeking)) continue;
          const { k, v } = JSON.parse(message.value?.toString() ?? 'null') as { k: string; v: AnalyticsEvent };
          cursor.buffer.push({ partition: batch.partition, offset, key: k, value: v });
          cursor.expected = offset + 1;
          cursor.seeking = false;
        }
        if (cursor.buffer.length >= BUFFER_HIGH_WATER) c.pause([{ topic, partitions: [batch.partition] }]);
        signal.notify(batch.partition);
      },
    });
    c.pause([{ topic }]);
    return c;
  };

  const checkPartition = (partition: number): void => {
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitions) {
      throw new RangeError(`partition ${partition} is not in 0..${partitions - 1}`);
    }
  };

  const bounds = async (partition: number): Promise<{ first: number; next: number }> => {
    checkPartition(partition);
    const offsets = await admin.fetchTopicOffsets(topic);
    const entry = offsets.find((o) => o.partition === partition);
    if (!entry) throw new Error(`topic ${topic} has no partition ${partition}`);
    return { first: Number(entry.low), next: Number(entry.high) };
  };

  return {
    partitions,
    bounds,

    async append(records: AppendRecord[]): Promise<void> {
      if (closed) throw new Error('event log is closed');
      if (records.length === 0) return;
      await producer.send({
        topic,
        acks: -1,
        messages: records.map(({ key, value }) => ({
          key,
          value: JSON.stringify({ k: key, v: value }),
          partition: partitionFor(key, partitions),
        })),
      });
    },

    async read(partition, from, { max, waitMs = 0 }): Promise<LogRecord[]> {
      checkPartition(partition);
      if (closed) throw new Error('event log is closed');
      consumer ??= await startConsumer();
      let cursor = cursors.get(partition);
      const first = cursor?.buffer[0]?.offset ?? cursor?.expected;
      if (!cursor || first === undefined || from < first || from > cursor.expected) {
        cursor = { expected: from, seeking: true, buffer: [], active: true };
        cursors.set(partition, cursor);
        consumer.seek({ topic, partition, offset: String(from) });
      }
      cursor.buffer = cursor.buffer.filter((r) => r.offset >= from);
      consumer.resume([{ topic, partitions: [partition] }]);
      // The consumer fetches in the background. Records already stored must be returned even
      // with waitMs 0, so then the read waits for the fetch (bounded, should the broker stall).
      const { next } = await bounds(partition);
      const deadline = Date.now() + (from < next ? Math.max(waitMs, FETCH_TIMEOUT_MS) : waitMs);
      while (cursor.buffer.length === 0 && Date.now() < deadline && !closed) {
        await signal.wait(partition, deadline - Date.now());
      }
      return cursor.buffer.splice(0, max);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      signal.notifyAll();
      await consumer?.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

async function ensureTopic(admin: Admin, options: KafkaLogOptions): Promise<void> {
  const retention = retentionMs(options.retentionHours);
  await admin.createTopics({
    topics: [
      {
        topic: options.topic,
        numPartitions: options.partitions,
        replicationFactor: options.replicationFactor ?? 1,
        configEntries: retention === undefined ? [] : [{ name: 'retention.ms', value: String(retention) }],
      },
    ],
    waitForLeaders: true,
  });
  const { topics } = await admin.fetchTopicMetadata({ topics: [options.topic] });
  const count = topics[0]?.partitions.length ?? 0;
  if (count !== options.partitions) {
    throw new Error(`Kafka topic ${options.topic} has ${count} partitions, opened with ${options.partitions}`);
  }
}
