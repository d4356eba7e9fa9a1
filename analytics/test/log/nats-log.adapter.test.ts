import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamManager } from '@nats-io/jetstream';
import { realEngine } from '@shop/platform/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventLogContract } from '../support/event-log.contract.ts';
import { partitionFor } from '../../src/log/event-log.ts';
import type { EventLog, LogRecord } from '../../src/log/event-log.ts';
import { testRecord } from '../support/log-test-events.fixture.ts';
import { createNatsLog, natsStreamName } from '../../src/log/nats-log.adapter.ts';

const nats = await realEngine('nats');

async function deleteStreams(prefix: string, partitions: number): Promise<void> {
  const nc = await connect({ servers: nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    for (let p = 0; p < partitions; p++) await jsm.streams.delete(natsStreamName(prefix, p)).catch(() => {});
  } finally {
    await nc.close();
  }
}

async function purgeStreams(prefix: string, partitions: number): Promise<void> {
  const nc = await connect({ servers: nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    for (let p = 0; p < partitions; p++) await jsm.streams.purge(natsStreamName(prefix, p));
  } finally {
    await nc.close();
  }
}

eventLogContract(
  'NATS JetStream',
  async () => {
    const prefix = `TEST_LOG_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    return {
      open: () => createNatsLog({ servers: nats.url, streamPrefix: prefix, partitions: 4, retentionHours: 1 }),
      cleanup: () => deleteStreams(prefix, 4),
      // What max_age does to messages older than it, a purge does now (sequences carry on).
      ageOut: () => purgeStreams(prefix, 4),
    };
  },
  nats.available ? undefined : `no NATS server reachable at ${nats.url}`,
);

describe.skipIf(!nats.available)('NATS JetStream event log', () => {
  const PARTITIONS = 2;
  let prefix = '';
  let log: EventLog | undefined;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeEach(async () => {
    prefix = `TEST_LOG_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    log = await createNatsLog({ servers: nats.url, streamPrefix: prefix, partitions: PARTITIONS });
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
  });
  afterEach(async () => {
    await log?.close();
    await nc.close();
    await deleteStreams(prefix, PARTITIONS);
  });

  const p = partitionFor('acme', PARTITIONS);
  const ids = (records: LogRecord[]) => records.map((r) => r.value.messageId);

  it('loses nothing a long poll delivers after its read returned, and jumps back on request', async () => {
    const stream = natsStreamName(prefix, p);
    const readerConsumer = async () => {
      for await (const consumer of jsm.consumers.list(stream)) return consumer;
      throw new Error('no reading consumer');
    };
    expect(await log!.read(p, 0, { max: 100 })).toEqual([]);
    const waiting = log!.read(p, 0, { max: 100, waitMs: 120_000 });
    // Append only once the server holds the long poll, so the records travel through it.
    while ((await readerConsumer()).num_waiting === 0);
    await log!.append([testRecord('acme', 'r0')]);
    expect(ids(await waiting)).toEqual(['r0']);
    // The long poll is still open: these ten reach the reader while no read is running.
    await log!.append(Array.from({ length: 10 }, (_, i) => testRecord('acme', `r${i + 1}`)));
    while ((await readerConsumer()).delivered.stream_seq < 11);
    // A round trip on the log's own connection: the deliveries sent before its reply are now received.
    await log!.bounds(p);
    expect(ids(await log!.read(p, 1, { max: 100 }))).toEqual(Array.from({ length: 10 }, (_, i) => `r${i + 1}`));
    expect(ids(await log!.read(p, 2, { max: 2 }))).toEqual(['r2', 'r3']);
    expect(ids(await log!.read(p, 4, { max: 100 }))).toEqual(['r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10']);
  });

  it('recovers when the server drops its reading consumer', async () => {
    await log!.append(Array.from({ length: 5 }, (_, i) => testRecord('acme', `r${i}`)));
    expect(ids(await log!.read(p, 0, { max: 2 }))).toEqual(['r0', 'r1']);
    const stream = natsStreamName(prefix, p);
    for await (const consumer of jsm.consumers.list(stream)) await jsm.consumers.delete(stream, consumer.name);
    expect(ids(await log!.read(p, 2, { max: 10 }))).toEqual(['r2', 'r3', 'r4']);
  });

  it('asks the server whether its reading consumer exists only when a pull stays unanswered, not per message delivered', async () => {
    await log!.append(Array.from({ length: 3000 }, (_, i) => testRecord('acme', `r${i}`)));
    let questions = 0;
    const sub = nc.subscribe(`$JS.API.CONSUMER.INFO.${natsStreamName(prefix, p)}.>`, { callback: () => void questions++ });
    await nc.flush();
    const started = performance.now();
    let read = 0;
    while (read < 3000) read += (await log!.read(p, read, { max: 1000 })).length;
    const elapsed = performance.now() - started;
    await nc.flush();
    sub.unsubscribe();
    // One question per half second a pull stays open is the most a read may ask.
    expect(questions).toBeLessThanOrEqual(Math.floor(elapsed / 500));
  });

  it('keeps a consumer per reader of a partition: two readers at different offsets, taking turns, create two consumers in all', async () => {
    await log!.append(Array.from({ length: 200 }, (_, i) => testRecord('acme', `r${i}`)));
    const stream = natsStreamName(prefix, p);
    let created = 0;
    const subs = [`$JS.API.CONSUMER.CREATE.${stream}`, `$JS.API.CONSUMER.CREATE.${stream}.>`].map((subject) => nc.subscribe(subject, { callback: () => void created++ }));
    await nc.flush();
    // Like the speed layer and the archiver of one process: each continues where its last read ended.
    const positions = [0, 100];
    for (let turn = 0; turn < 10; turn++) {
      for (const [reader, from] of positions.entries()) {
        const records = await log!.read(p, from, { max: 10 });
        expect(ids(records)).toEqual(Array.from({ length: 10 }, (_, i) => `r${from + i}`));
        positions[reader] = from + 10;
      }
    }
    await nc.flush();
    for (const sub of subs) sub.unsubscribe();
    expect(created).toBe(2);
  });

  it('serves reads beyond the four readers of a partition once a reader is free: no error, no fifth consumer, every record once', async () => {
    await log!.append(Array.from({ length: 40 }, (_, i) => testRecord('acme', `r${i}`)));
    const stream = natsStreamName(prefix, p);
    const consumers = async () => {
      const list = [];
      for await (const consumer of jsm.consumers.list(stream)) list.push(consumer);
      return list;
    };
    // The consumers on the stream, counted all through: the pool must never hold more than four.
    let most = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        most = Math.max(most, (await consumers()).length);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    // Four long polls at the end of the partition (four consumers of one process waiting for records) take every reader.
    const polls = Array.from({ length: 4 }, () => log!.read(p, 40, { max: 100, waitMs: 60_000 }));
    const deadline = Date.now() + 30_000;
    while ((await consumers()).filter((c) => c.num_waiting > 0).length < 4) {
      if (Date.now() > deadline) throw new Error('the four long polls never reached the server');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // More reads of the partition meanwhile, elsewhere in it (a rebuild, a replay): each waits for a reader.
    const more = [log!.read(p, 10, { max: 10 }), log!.read(p, 0, { max: 5 }), log!.read(p, 30, { max: 100 })];
    // Records arrive: the long polls end with them, and the waiting reads get a reader each.
    const arriving = Array.from({ length: 5 }, (_, i) => `n${i}`);
    await log!.append(arriving.map((id) => testRecord('acme', id)));

    const [ten, five, tail] = await Promise.all(more);
    expect(ids(ten!)).toEqual(Array.from({ length: 10 }, (_, i) => `r${10 + i}`));
    expect(ids(five!)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(ids(tail!)).toEqual([...Array.from({ length: 10 }, (_, i) => `r${30 + i}`), ...arriving].slice(0, tail!.length));
    expect(tail!.length).toBeGreaterThanOrEqual(10);
    // Each long poll, continued where it ended, reads the arrivals once each.
    for (const poll of polls) {
      const got = await poll;
      expect(got.length).toBeGreaterThan(0);
      while (got.length < arriving.length) {
        const next = await log!.read(p, 40 + got.length, { max: 100, waitMs: 5_000 });
        expect(next.length).toBeGreaterThan(0);
        got.push(...next);
      }
      expect(ids(got)).toEqual(arriving);
      expect(got.map((r) => r.offset)).toEqual([40, 41, 42, 43, 44]);
    }
    watching = false;
    await watcher;
    expect(most).toBeLessThanOrEqual(4);
    expect((await consumers()).length).toBeLessThanOrEqual(4);
  });

  it('moves bounds().first when the server removes old messages, and reads start there', async () => {
    await log!.append(Array.from({ length: 10 }, (_, i) => testRecord('acme', `r${i}`)));
    // What max_age does over hours, a purge does now.
    await jsm.streams.purge(natsStreamName(prefix, p), { seq: 7 });
    expect(await log!.bounds(p)).toEqual({ first: 6, next: 10 });
    const records = await log!.read(p, 0, { max: 10 });
    expect(records.map((r) => r.offset)).toEqual([6, 7, 8, 9]);
    await jsm.streams.purge(natsStreamName(prefix, p));
    expect(await log!.bounds(p)).toEqual({ first: 10, next: 10 });
  });

  it('sets max_age from retentionHours, on new streams and on existing ones, keeping their messages; no retentionHours keeps it', async () => {
    const HOUR_NS = 3_600_000 * 1_000_000;
    const maxAges = async (streamPrefix: string) =>
      Promise.all(Array.from({ length: PARTITIONS }, async (_, q) => (await jsm.streams.info(natsStreamName(streamPrefix, q))).config.max_age));
    const reopen = async (retentionHours?: number) => {
      const again = await createNatsLog({ servers: nats.url, streamPrefix: prefix, partitions: PARTITIONS, retentionHours });
      await again.close();
      return maxAges(prefix);
    };
    // Created without retention (beforeEach): no limit.
    expect(await maxAges(prefix)).toEqual([0, 0]);
    await log!.append([testRecord('acme', 'kept')]);
    expect(await reopen(168)).toEqual([168 * HOUR_NS, 168 * HOUR_NS]);
    expect(await reopen(24)).toEqual([24 * HOUR_NS, 24 * HOUR_NS]);
    // A process started without the variable (a replay CLI) must not lift the retention erasure relies on.
    expect(await reopen(undefined)).toEqual([24 * HOUR_NS, 24 * HOUR_NS]);
    expect(ids(await log!.read(p, 0, { max: 10 }))).toEqual(['kept']);

    const fresh = `TEST_LOG_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    try {
      await (await createNatsLog({ servers: nats.url, streamPrefix: fresh, partitions: PARTITIONS, retentionHours: 6 })).close();
      expect(await maxAges(fresh)).toEqual([6 * HOUR_NS, 6 * HOUR_NS]);
    } finally {
      await deleteStreams(fresh, PARTITIONS);
    }
    await expect(createNatsLog({ servers: nats.url, streamPrefix: prefix, partitions: PARTITIONS, retentionHours: 0 })).rejects.toThrow(RangeError);
  });

  it('refuses to reopen the streams with another partition count', async () => {
    await expect(createNatsLog({ servers: nats.url, streamPrefix: prefix, partitions: 3 })).rejects.toThrow(/partition count/);
  });
});
