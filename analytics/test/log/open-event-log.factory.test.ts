import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { realEngine } from '@shop/platform/testing';
import { describe, expect, it } from 'vitest';
import { partitionFor } from '../../src/log/event-log.ts';
import { testRecord } from '../support/log-test-events.fixture.ts';
import { natsStreamName } from '../../src/log/nats-log.adapter.ts';
import { DEFAULT_PARTITIONS, openEventLog } from '../../src/log/open-event-log.factory.ts';

const nats = await realEngine('nats');

describe('openEventLog', () => {
  it('opens a durable file log in the given directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'event-log-factory-'));
    try {
      const log = await openEventLog({ kind: 'file', dir });
      expect(log.partitions).toBe(DEFAULT_PARTITIONS);
      await log.append([testRecord('acme', 'a')]);
      await log.close();
      const again = await openEventLog({ kind: 'file', dir });
      expect(await again.read(partitionFor('acme', DEFAULT_PARTITIONS), 0, { max: 1 })).toHaveLength(1);
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives the file log its retention: segments last written before it go at open', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'event-log-factory-'));
    try {
      const p = partitionFor('acme', 2);
      const log = await openEventLog({ kind: 'file', dir, partitions: 2 });
      await log.append([testRecord('acme', 'a'), testRecord('acme', 'b')]);
      await log.close();
      const threeHoursAgo = new Date(Date.now() - 3 * 3_600_000);
      for (const name of await readdir(join(dir, `p-${p}`))) await utimes(join(dir, `p-${p}`, name), threeHoursAgo, threeHoursAgo);
      const kept = await openEventLog({ kind: 'file', dir, partitions: 2, retentionHours: 1 });
      expect(await kept.bounds(p)).toEqual({ first: 2, next: 2 });
      await kept.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!nats.available)('opens the NATS log when given a url', async () => {
    const streamPrefix = `TEST_FACTORY_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const log = await openEventLog({ kind: 'nats', url: nats.url, streamPrefix, partitions: 2, retentionHours: 48 });
    const nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    try {
      await log.append([testRecord('acme', 'a')]);
      expect(await log.bounds(partitionFor('acme', 2))).toEqual({ first: 0, next: 1 });
      expect((await jsm.streams.info(natsStreamName(streamPrefix, 0))).config.max_age).toBe(48 * 3_600_000 * 1_000_000);
    } finally {
      await log.close();
      for (let p = 0; p < 2; p++) await jsm.streams.delete(natsStreamName(streamPrefix, p)).catch(() => {});
      await nc.close();
    }
  });
});
