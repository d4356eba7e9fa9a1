import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realEngine } from '@shop/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryTotal } from '../scale-out/api-client.ts';
import { freePort, killHard, spawnTs, until, type RunningChild } from '../scale-out/child-processes.ts';
import { deleteRunKeys } from '../scale-out/redis-cleanup.ts';
import { deleteStreams } from '../support/nats-streams.ts';

const redis = await realEngine('redis');
const nats = await realEngine('nats');

/** The pids of a primary's workers, from /proc: its children that run the app (tsx may run helpers too). */
async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`);
  const lists = await Promise.all(tasks.map((task) => readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '')));
  const children = lists.flatMap((list) => list.trim().split(' ').filter(Boolean).map(Number));
  const commands = await Promise.all(children.map((child) => readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')));
  return children.filter((_, i) => commands[i]!.includes('analytics/src/main.ts'));
}

describe.skipIf(!redis.available || !nats.available)('the analytics app as two API workers on one port (NATS + Redis)', () => {
  const run = randomBytes(3).toString('hex');
  const redisPrefix = `test:workers:${run}:`;
  const streamPrefix = `workers_${run}`;
  const adminToken = `at_${randomBytes(24).toString('base64url')}`;
  let dataDir = '';
  let url = '';
  let primary: RunningChild;

  // `connection: close` gives every request its own connection, which the primary hands to the workers in turn.
  const post = async (path: string, body: unknown, authorization: string) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as { accepted: number; duplicates: unknown[]; rejected: { code: string }[]; plainKey?: string } };
  };
  const tenant = async (id: string, settings: Record<string, unknown>) => {
    const admin = `Bearer ${adminToken}`;
    expect((await post('/admin/tenants', { id, name: id, timeZone: 'UTC', ...settings }, admin)).status).toBe(201);
    const write = (await post(`/admin/tenants/${id}/keys`, { kind: 'write', label: 'w' }, admin)).json.plainKey!;
    const read = (await post(`/admin/tenants/${id}/keys`, { kind: 'read', label: 'r' }, admin)).json.plainKey!;
    return { write: `Basic ${Buffer.from(`${write}:`).toString('base64')}`, read };
  };
  const events = (n: number) => Array.from({ length: n }, () => ({ type: 'track', event: 'Worker Test', messageId: randomUUID(), anonymousId: 'a1' }));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'api-workers-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    primary = spawnTs('primary', 'analytics/src/main.ts', {
      ANALYTICS_API_WORKERS: '2',
      ANALYTICS_PORT: String(port),
      DATA_DIR: dataDir,
      REDIS_URL: redis.url,
      ANALYTICS_REDIS_PREFIX: redisPrefix,
      NATS_URL: nats.url,
      ANALYTICS_NATS_STREAM_PREFIX: streamPrefix,
      ANALYTICS_ADMIN_TOKEN: adminToken,
      ANALYTICS_BATCH_IN_PROCESS: 'false',
      LOG_LEVEL: 'warn',
    });
    await until('both workers to listen', async () => {
      if (!primary.running()) throw new Error(`primary exited: ${primary.output()}`);
      return primary.output().includes('analytics collector');
    }, 60_000);
  }, 90_000);

  afterAll(async () => {
    const workers = primary.running() ? await childrenOf(primary.child.pid!).catch(() => []) : [];
    await killHard(primary);
    for (const pid of workers) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await deleteStreams(nats.url, streamPrefix);
    await deleteRunKeys(redis.url, redisPrefix);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('remembers a messageId and counts the daily quota across workers; the first worker folds every event once', async () => {
    expect(await childrenOf(primary.child.pid!)).toHaveLength(2);
    const { write, read } = await tenant(`w-${run}`, { dailyQuota: 150, rateLimitPerSecond: 100_000 });

    // The same batch four times, over four connections: both workers see it, one stores it.
    const same = { batch: events(40) };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await post('/v1/batch', same, write)).json);
    expect(answers.map((a) => [a.accepted, a.duplicates.length])).toEqual([[40, 0], [0, 40], [0, 40], [0, 40]]);

    // 150 a day: 40 taken; three more batches of 50 over three connections get 110 in, whatever worker takes them.
    let accepted = 0;
    let over = 0;
    for (let i = 0; i < 3; i++) {
      const { json } = await post('/v1/batch', { batch: events(50) }, write);
      accepted += json.accepted;
      over += json.rejected.filter((r) => r.code === 'QUOTA_EXCEEDED').length;
    }
    expect([accepted, over]).toEqual([110, 40]);

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    await until('the speed layer to count 150 events', async () => (await queryTotal(url, read, { metric: 'events', granularity: 'hour', from, to })).value >= 150, 30_000);
    expect((await queryTotal(url, read, { metric: 'events', granularity: 'hour', from, to })).value).toBe(150);
  }, 60_000);

  it('starts a worker that died again, and stops cleanly on SIGTERM', async () => {
    const [first] = await childrenOf(primary.child.pid!);
    process.kill(first!, 'SIGKILL');
    await until('a new worker', async () => {
      const now = await childrenOf(primary.child.pid!);
      return now.length === 2 && !now.includes(first!);
    }, 30_000);
    const { write } = await tenant(`w2-${run}`, { dailyQuota: 1000, rateLimitPerSecond: 100_000 });
    await until('the new worker to answer', async () => {
      const answers = await Promise.all([0, 1].map(() => post('/v1/batch', { batch: events(1) }, write).then((r) => r.status, () => 0)));
      return answers.every((status) => status === 200);
    }, 30_000);
    primary.child.kill('SIGTERM');
    expect((await primary.exited).code).toBe(0);
  }, 60_000);
});
