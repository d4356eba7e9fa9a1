import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realEngine } from '@shop/platform/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killHard, spawnTs, until, type RunningChild } from '../scale-out/child-processes.ts';
import { deleteRunKeys } from '../scale-out/redis-cleanup.ts';
import { deleteStreams } from '../support/nats-streams.ts';

/*
 * A goal acknowledged by POST /v1/goals survives kill -9 of the app: the restarted app lists it,
 * and its speed layer counts conversions of it. The app is the real one (analytics/src/main.ts as
 * `npm start` runs it): with the embedded engines (the goals are DATA_DIR's goals.json), and with
 * the production ones (the goals in Redis, the log on NATS JetStream).
 */
const READ_KEY = `rk_${'g'.repeat(40)}`;
const WRITE_KEY = `wk_${'g'.repeat(40)}`;
const redis = await realEngine('redis');
const nats = await realEngine('nats');
const dirs: string[] = [];
const children: RunningChild[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const child of children) await killHard(child);
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Posts goals until a kill -9 lands a random moment after the first 201, restarts the app, and checks every acknowledged goal is there and counted. */
async function goalsSurviveKill(engines: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), 'goals-kill-'));
  dirs.push(dir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const read = { authorization: `Bearer ${READ_KEY}` };
  const env = { ...engines, DATA_DIR: dir, ANALYTICS_PORT: String(port), ANALYTICS_DEMO_TENANT: 'goal-shop', ANALYTICS_DEMO_WRITE_KEY: WRITE_KEY, ANALYTICS_DEMO_READ_KEY: READ_KEY, LOG_LEVEL: 'warn' };
  const start = async () => {
    const app = spawnTs('analytics', 'analytics/src/main.ts', env);
    children.push(app);
    await until('the app to answer', async () => (await fetch(`${base}/v1/goals`, { headers: read }).catch(() => null))?.status === 200, 150_000, () => app.output());
    return app;
  };
  const listed = async () => ((await (await fetch(`${base}/v1/goals`, { headers: read })).json()) as { goals: Array<{ id: string; event: string }> }).goals;

  const acknowledged: Array<{ id: string; event: string }> = [];
  const app = await start();
  // Goals posted one after another until the kill, which lands at a random point after the first acknowledgement.
  let posting = true;
  const poster = (async () => {
    for (let i = 0; posting && acknowledged.length < 45; i++) {
      const event = `Kill ${i}`;
      const res = await fetch(`${base}/v1/goals`, { method: 'POST', headers: { ...read, 'content-type': 'application/json' }, body: JSON.stringify({ name: event, kind: 'event', event }) }).catch(() => null);
      if (res?.status === 201) acknowledged.push({ id: ((await res.json()) as { id: string }).id, event });
      else if (res) expect(res.status, await res.text()).toBe(201);
    }
  })();
  await until('a goal to be acknowledged', () => acknowledged.length > 0);
  await sleep(Math.floor(Math.random() * 200));
  expect(await killHard(app)).toBe('SIGKILL');
  posting = false;
  await poster;

  await start();
  const ids = new Set((await listed()).map((g) => g.id));
  expect(acknowledged.filter((g) => !ids.has(g.id))).toEqual([]);

  // The restarted app's speed layer counts them: a conversion of the last acknowledged goal counts.
  const goal = acknowledged.at(-1)!;
  const sent = await fetch(`${base}/v1/batch`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batch: [{ type: 'track', event: goal.event, messageId: randomUUID(), anonymousId: 'after-restart' }] }),
  });
  expect(sent.status, await sent.text()).toBe(200);
  await until('the conversion to be counted', async () => {
    const res = await fetch(`${base}/v1/query?metric=goal_conversions&filter=goal:${goal.id}&granularity=hour&from=${new Date(Date.now() - 3_600_000).toISOString()}`, { headers: read });
    return ((await res.json()) as { total?: { value: number } }).total?.value === 1;
  }, 60_000);
}

describe('goals acknowledged and kill -9', () => {
  it('are all listed and counted by the restarted app, whenever the kill lands (embedded engines)', async () => {
    await goalsSurviveKill({});
  }, 300_000);

  it.skipIf(!redis.available || !nats.available)('are all listed and counted by the restarted app, whenever the kill lands (Redis goal store, NATS log)', async () => {
    const run = randomBytes(4).toString('hex');
    const redisPrefix = `test:goals-kill:${run}:`;
    const streamPrefix = `goals_kill_${run}`;
    cleanups.push(
      () => deleteRunKeys(redis.url, redisPrefix),
      () => deleteStreams(nats.url, streamPrefix),
    );
    await goalsSurviveKill({ REDIS_URL: redis.url, ANALYTICS_REDIS_PREFIX: redisPrefix, NATS_URL: nats.url, ANALYTICS_NATS_STREAM_PREFIX: streamPrefix, ANALYTICS_LOG_PARTITIONS: '2' });
  }, 300_000);
});
