import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@shop/platform';
import { type NatsCluster, percentile, realBinary, startNatsCluster, steadyLoad } from '@shop/platform/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnalyticsApp, type AnalyticsApp } from '../../src/app.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { partitionFor } from '../../src/log/event-log.ts';
import { createNatsLog, natsStreamName } from '../../src/log/nats-log.adapter.ts';
import { until } from '../speed/until.ts';

const natsServer = realBinary('nats-server');
const PARTITIONS = 2;
const PREFIX = 'fault';
const TENANT = 'clustered';
/** 10 events every 100 ms: 100 events/s, steady, for 16 s; the leader dies at 4 s and comes back at 10 s. */
const BATCH = 10;
const EVERY_MS = 100;
const DURATION_MS = 16_000;

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

describe.skipIf(!natsServer.available)('the analytics log on a three-node JetStream cluster (R3), one node killed with SIGKILL mid-traffic', () => {
  let cluster: NatsCluster | undefined;
  let app: AnalyticsApp | undefined;
  let dir = '';

  afterAll(async () => {
    await app?.close();
    await cluster?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('counts every acknowledged event exactly once in /v1/query, stores each once, and the node catches up', { timeout: 120_000 }, async () => {
    cluster = await startNatsCluster({ binary: natsServer.path });
    dir = await mkdtemp(join(tmpdir(), 'analytics-nats-cluster-'));
    const config = loadAnalyticsConfig({
      DATA_DIR: dir,
      ANALYTICS_ADMIN_TOKEN: 'test-admin-token-0123456789',
      LOG_LEVEL: 'silent',
      ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0',
      ANALYTICS_RATE_LIMIT_MAX: '0',
      ANALYTICS_BATCH_IN_PROCESS: 'false',
      NATS_URL: cluster.url,
      ANALYTICS_NATS_REPLICAS: '3',
      ANALYTICS_NATS_STREAM_PREFIX: PREFIX,
      ANALYTICS_LOG_PARTITIONS: String(PARTITIONS),
    });
    app = await createAnalyticsApp(config, createLogger('nats-cluster-fault', 'silent'));
    const server = app.server;
    expect((await app.tenants.createTenant({ id: TENANT, name: TENANT, timeZone: 'UTC', rateLimitPerSecond: 10_000, dailyQuota: 1_000_000 })).ok).toBe(true);
    const write = await app.tenants.createKey(TENANT, 'write');
    const read = await app.tenants.createKey(TENANT, 'read');
    if (!write.ok || !read.ok) throw new Error('keys not created');

    const stream = natsStreamName(PREFIX, partitionFor(TENANT, PARTITIONS));
    const leader = await cluster.streamLeader(stream);
    const acknowledged = new Set<string>();
    let unavailable = 0;
    let newLeader = '';

    // A Segment library's behaviour: a 503 is resent with the same messageIds until accepted.
    const report = await steadyLoad({
      everyMs: EVERY_MS,
      durationMs: DURATION_MS,
      retryMs: 250,
      call: async (i) => {
        const batch = Array.from({ length: BATCH }, (_, j) => ({ type: 'track', userId: `u${i % 50}`, event: 'Clicked', messageId: `m-${i}-${j}` }));
        const res = await server.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(write.value.plainKey) }, payload: { batch } });
        if (res.statusCode === 503) {
          unavailable++;
          throw new Error('503');
        }
        expect(res.statusCode).toBe(200);
        const body = res.json<{ accepted: number; duplicates: unknown[] }>();
        expect(body.accepted + body.duplicates.length).toBe(BATCH);
        for (const e of batch) acknowledged.add(e.messageId);
      },
      at: {
        4_000: async () => {
          await cluster!.kill(leader);
          newLeader = await cluster!.streamLeader(stream, { avoid: leader });
        },
        10_000: () => cluster!.restart(leader),
      },
    });
    expect(acknowledged.size).toBe(report.calls * BATCH);
    // The log resent what the election swallowed: no caller was told to resend (without the
    // resends, appends in flight waited out their 30 s and answered 503).
    expect(unavailable).toBe(0);
    expect(newLeader).not.toBe(leader);

    // The speed layer (in this process, reading the same log) counts each acknowledged event once.
    const total = async () =>
      (await server.inject({ url: '/v1/query?metric=events&granularity=minute', headers: { authorization: `Bearer ${read.value.plainKey}` } })).json<{ total: { value: number } }>().total.value;
    await until('the speed layer to count every acknowledged event', async () => (await total()) >= acknowledged.size, 30_000);
    expect(await total()).toBe(acknowledged.size);

    // The log itself holds each event once: resends after the kill were deduplicated by Nats-Msg-Id.
    // Opened as a reader process would be, without a replica count: the streams keep their three.
    const log = await createNatsLog({ servers: cluster.url, streamPrefix: PREFIX, partitions: PARTITIONS });
    try {
      const p = partitionFor(TENANT, PARTITIONS);
      const stored: string[] = [];
      for (let from = 0; ; ) {
        const records = await log.read(p, from, { max: 1000 });
        if (records.length === 0) break;
        stored.push(...records.map((r) => r.value.messageId));
        from = records.at(-1)!.offset + 1;
      }
      expect(stored.length).toBe(acknowledged.size);
      expect(new Set(stored).size).toBe(stored.length);
    } finally {
      await log.close();
    }

    // The restarted node replays the leader's log and is current again.
    for (let p = 0; p < PARTITIONS; p++) await cluster.streamCaughtUp(natsStreamName(PREFIX, p));
    expect(await cluster.streamReplicas(stream)).toBe(3);

    const ms = report.latencies.map((l) => l.ms);
    const spike = report.latencies.filter((l) => l.startedAt >= 3_500 && l.startedAt < 15_000).map((l) => l.ms);
    const calm = report.latencies.filter((l) => l.startedAt < 3_500).map((l) => l.ms);
    console.log(
      `[analytics R3 kill -9 ${leader} -> ${newLeader}] ${report.calls} batches of ${BATCH} at ${1000 / EVERY_MS}/s; ` +
        `before the kill p50 ${percentile(calm, 50).toFixed(0)} ms p99 ${percentile(calm, 99).toFixed(0)} ms; ` +
        `around it p50 ${percentile(spike, 50).toFixed(0)} ms p99 ${percentile(spike, 99).toFixed(0)} ms max ${Math.max(...ms).toFixed(0)} ms; ` +
        `503 answers resent ${unavailable}; stored once each: ${acknowledged.size}`,
    );
  });
});
