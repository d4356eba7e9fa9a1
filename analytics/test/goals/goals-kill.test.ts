import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, killHard, spawnTs, until, type RunningChild } from '../scale-out/child-processes.ts';

/*
 * A goal acknowledged by POST /v1/goals survives kill -9 of the app: the restarted app lists it,
 * and its goal cache counts conversions of it. The app is the real one (analytics/src/main.ts as
 * `npm start` runs it, embedded engines: the goals are DATA_DIR's goals.json).
 */
const READ_KEY = `rk_${'g'.repeat(40)}`;
const WRITE_KEY = `wk_${'g'.repeat(40)}`;
const dirs: string[] = [];
const children: RunningChild[] = [];
afterAll(async () => {
  for (const child of children) await killHard(child);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('goals acknowledged and kill -9', () => {
  it('are all listed and counted by the restarted app, whenever the kill lands', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'goals-kill-'));
    dirs.push(dir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const read = { authorization: `Bearer ${READ_KEY}` };
    const env = { DATA_DIR: dir, ANALYTICS_PORT: String(port), ANALYTICS_DEMO_TENANT: 'goal-shop', ANALYTICS_DEMO_WRITE_KEY: WRITE_KEY, ANALYTICS_DEMO_READ_KEY: READ_KEY, LOG_LEVEL: 'warn' };
    const start = async () => {
      const app = spawnTs('analytics', 'analytics/src/main.ts', env);
      children.push(app);
      await until('the app to answer', async () => (await fetch(`${base}/v1/goals`, { headers: read }).catch(() => null))?.status === 200, 150_000, () => app.output());
      return app;
    };
    const listed = async () => ((await (await fetch(`${base}/v1/goals`, { headers: read })).json()) as { goals: Array<{ id: string; event: string }> }).goals;

    const acknowledged: Array<{ id: string; event: string }> = [];
    for (let round = 0; round < 1; round++) {
      const app = await start();
      // Goals posted one after another until the kill, which lands at a random point after the first acknowledgement.
      let posting = true;
      const poster = (async () => {
        for (let i = 0; posting && acknowledged.length < 45; i++) {
          const event = `Kill ${round}-${i}`;
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
    }

    await start();
    const after = await listed();
    const ids = new Set(after.map((g) => g.id));
    expect(acknowledged.filter((g) => !ids.has(g.id))).toEqual([]);

    // The restarted app's goal cache holds them: a conversion of the last acknowledged goal counts.
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
  }, 300_000);
});
