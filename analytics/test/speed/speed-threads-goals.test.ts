import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killHard, spawnTs, until, type RunningChild } from '../scale-out/child-processes.ts';

/*
 * The speed layer folding on worker threads (ANALYTICS_SPEED_THREADS) learns of a goal defined
 * through the API when it is defined, not at its threads' periodic read of the goals (every 30 s):
 * the app answers the definition once every speed thread has read it, so a conversion sent the
 * moment the goal is acknowledged is counted. A conversion folded before its thread knew the goal
 * would never be counted by the speed layer. The real app (analytics/src/main.ts as `npm start`
 * runs it, embedded engines: the goals are DATA_DIR's goals.json, which other processes do not announce).
 */
const READ_KEY = `rk_${'t'.repeat(40)}`;
const WRITE_KEY = `wk_${'t'.repeat(40)}`;
/** The threads' periodic read of the goals (watchGoals' default). */
const GOAL_POLL_MS = 30_000;
const dirs: string[] = [];
const children: RunningChild[] = [];
afterAll(async () => {
  for (const child of children) await killHard(child);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('goals defined while the speed layer folds on threads', () => {
  it('are counted from the answer of their definition on, far sooner than the periodic read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'speed-threads-goals-'));
    dirs.push(dir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const read = { authorization: `Bearer ${READ_KEY}` };
    const env = { DATA_DIR: dir, ANALYTICS_PORT: String(port), ANALYTICS_DEMO_TENANT: 'thread-shop', ANALYTICS_DEMO_WRITE_KEY: WRITE_KEY, ANALYTICS_DEMO_READ_KEY: READ_KEY, ANALYTICS_SPEED_THREADS: '2', LOG_LEVEL: 'warn' };
    const app = spawnTs('analytics', 'analytics/src/main.ts', env);
    children.push(app);
    await until('the app to answer', async () => (await fetch(`${base}/ready`).catch(() => null))?.status === 200, 150_000, () => app.output());

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const total = async (query: string) => {
      const res = await fetch(`${base}/v1/query?${query}&granularity=hour&from=${encodeURIComponent(from)}`, { headers: read });
      return res.status === 200 ? (((await res.json()) as { total?: { value: number } }).total?.value ?? 0) : -1;
    };
    let sent = 0;
    const send = async (event: string) => {
      const res = await fetch(`${base}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch: [{ type: 'track', event, messageId: randomUUID(), anonymousId: 'visitor' }] }),
      });
      expect(res.status, await res.text()).toBe(200);
      sent++;
    };
    const folded = () => until(`the speed threads to fold ${sent} events`, async () => (await total('metric=events')) === sent, 60_000, () => app.output());
    // The tenant's thread is folding before any goal is defined.
    await send('Warm Up');
    await folded();

    for (let i = 0; i < 3; i++) {
      const event = `Thread Goal ${i}`;
      const res = await fetch(`${base}/v1/goals`, { method: 'POST', headers: { ...read, 'content-type': 'application/json' }, body: JSON.stringify({ name: event, kind: 'event', event }) });
      expect(res.status, await res.clone().text()).toBe(201);
      const acknowledged = performance.now();
      const { id } = (await res.json()) as { id: string };
      await send(event);
      await folded();
      // Counted with the fold, or never (the speed layer does not fold an event again).
      expect(await total(`metric=goal_conversions&filter=goal:${id}`)).toBe(1);
      // A hang guard on a loaded machine as much as a bound: far below the periodic read all the same.
      expect(performance.now() - acknowledged).toBeLessThan(GOAL_POLL_MS / 2);
    }
  }, 300_000);
});
