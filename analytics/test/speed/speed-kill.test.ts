import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realEngine } from '@shop/platform/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { createFileLog, type FileEventLog } from '../../src/log/index.ts';
import { bucketStart, type AggregateStore } from '../../src/contracts/aggregate-store.ts';
import { createRedisAggregateStore } from '../../src/speed/redis-aggregate-store.ts';
import { orderCompleted, pageView } from './events.fixture.ts';
import { until } from './until.ts';

const redis = await realEngine('redis');
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PARTITIONS = 4;
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

describe.skipIf(!redis.available)('speed layer process killed with SIGKILL mid-stream', () => {
  const prefix = `test:speed-kill:${randomUUID()}:`;
  let dataDir = '';
  let log: FileEventLog | undefined;
  let store: AggregateStore | undefined;
  const children: ChildProcess[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await store?.close();
    await log?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    const client = new Redis(redis.url);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  const startChild = () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: redis.url,
      ANALYTICS_REDIS_PREFIX: prefix,
      DATA_DIR: dataDir,
      ANALYTICS_LOG_PARTITIONS: String(PARTITIONS),
      SPEED_FLUSH_MS: '30',
      LOG_LEVEL: 'error',
    };
    delete env.NATS_URL;
    delete env.KAFKA_BROKERS;
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'analytics/src/processes/speed.ts')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    return child;
  };
  const kill = async (child: ChildProcess) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const applied = async () => [...(await store!.positions([0, 1, 2, 3])).values()].reduce((a, b) => a + b, 0);

  it('ends with counts equal to the events sent, exactly', { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'speed-kill-'));
    log = await createFileLog({ dir: join(dataDir, 'analytics/events'), partitions: PARTITIONS });
    store = createRedisAggregateStore(redis.url, { prefix });
    const at = new Date(bucketStart(Date.now(), 'minute') - 60_000).toISOString();
    const sent = new Map<string, number>();
    let revenueSent = 0;
    let total = 0;
    const send = async (batches: number) => {
      for (let b = 0; b < batches; b++) {
        const events: AnalyticsEvent[] = [];
        for (let i = 0; i < 100; i++) {
          const tenant = TENANTS[(total + i) % TENANTS.length]!;
          if (i % 10 === 0) {
            events.push(orderCompleted(tenant, at, '12.34'));
            revenueSent += tenant === 'acme' ? 1234 : 0;
          } else {
            events.push(pageView(tenant, at));
            sent.set(tenant, (sent.get(tenant) ?? 0) + 1);
          }
        }
        total += events.length;
        await log!.append(events.map((value) => ({ key: value.tenantId, value })));
      }
    };

    await send(10);
    let child = startChild();
    // Kill while records are still arriving and some have been applied: a real mid-stream crash.
    const writing = send(20);
    await until('the first process to apply some records', async () => (await applied()) > 500, 60_000);
    await kill(child);
    await writing;
    const afterFirstKill = await applied();
    expect(afterFirstKill).toBeLessThan(total);

    child = startChild();
    const moreWriting = send(10);
    await until('the second process to make progress', async () => (await applied()) > afterFirstKill, 60_000);
    await kill(child);
    await moreWriting;

    child = startChild();
    await until('the last process to catch up', async () => (await applied()) === total, 60_000);
    await kill(child);

    const pageviews = async (tenantId: string) => {
      const [reading] = await store!.read({ tenantId, metric: 'pageviews', kind: 'count', resolution: 'minute', buckets: [Date.parse(at)] });
      return reading?.total && 'amount' in reading.total ? reading.total.amount : 0;
    };
    for (const tenant of TENANTS) expect(await pageviews(tenant), tenant).toBe(sent.get(tenant));
    const [revenue] = await store.read({ tenantId: 'acme', metric: 'revenue', kind: 'sum', resolution: 'quarter', buckets: [bucketStart(Date.parse(at), 'quarter')] });
    expect(revenue?.total).toEqual({ kind: 'sum', amount: revenueSent });
    expect(total).toBe(4000);
  });
});
