import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalObjectStore, localLakeDir } from '../../src/storage/index.ts';
import { freePort, killHard, spawnTs, until, type RunningChild } from '../scale-out/child-processes.ts';

/*
 * An erasure request acknowledged with 202 survives kill -9 of the app: the restarted app's
 * runner completes it from what was recorded. The app is the real one (analytics/src/main.ts as
 * `npm start` runs it) with its demo history, so there is a lake to erase from.
 */
const ADMIN = 'erasure-crash-admin-token-0123456789';
const READ_KEY = `rk_${'c'.repeat(40)}`;
const dirs: string[] = [];
const children: RunningChild[] = [];
afterAll(async () => {
  for (const child of children) await killHard(child);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('an acknowledged erasure and kill -9', () => {
  it('is completed by the restarted app: the person is gone from the raw store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'erasure-crash-'));
    dirs.push(dir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      DATA_DIR: dir,
      ANALYTICS_PORT: String(port),
      ANALYTICS_ADMIN_TOKEN: ADMIN,
      ANALYTICS_DEMO_TENANT: 'demo-shop',
      ANALYTICS_DEMO_WRITE_KEY: `wk_${'c'.repeat(40)}`,
      ANALYTICS_DEMO_READ_KEY: READ_KEY,
      ANALYTICS_DEMO_HISTORY_DAYS: '3',
      LOG_LEVEL: 'warn',
    };
    const start = async () => {
      const app = spawnTs('analytics', 'analytics/src/main.ts', env);
      children.push(app);
      await until(
        'the app to answer',
        async () => (await fetch(`${base}/v1/query?metric=events`, { headers: { authorization: `Bearer ${READ_KEY}` } }).catch(() => null))?.status === 200,
        60_000,
        () => app.output(),
      );
      return app;
    };
    const lake = await createLocalObjectStore(localLakeDir(dir));
    const personIn = async (id: string) => {
      for (const key of await lake.list('raw/tenant=demo-shop/')) if (Buffer.from((await lake.get(key)) ?? []).includes(`"${id}"`)) return true;
      return false;
    };

    const first = await start();
    // A customer of the demo history with events in the raw store.
    const counts = new Map<string, number>();
    for (const key of await lake.list('raw/tenant=demo-shop/')) {
      for (const match of Buffer.from((await lake.get(key))!).toString('utf8').matchAll(/"userId":"(customer-\d+@demo\.shop)"/g)) {
        counts.set(match[1]!, (counts.get(match[1]!) ?? 0) + 1);
      }
    }
    const [person] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    expect(await personIn(person)).toBe(true);

    const posted = await fetch(`${base}/admin/tenants/demo-shop/erasures`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: person }),
    });
    expect(posted.status).toBe(202);
    // Killed at once: the runner has at most begun.
    await killHard(first);
    const location = posted.headers.get('location')!;
    // Recorded before the 202, not finished (the erasure takes far longer than the kill).
    const [recorded] = await lake.list('erasures/tenant=demo-shop/');
    expect(JSON.parse(Buffer.from((await lake.get(recorded!))!).toString('utf8'))).toMatchObject({ status: 'pending' });

    await start();
    let request: { status: string; counts?: { linesRemoved: number } } | undefined;
    await until(
      'the restarted app to complete the erasure',
      async () => {
        request = (await (await fetch(`${base}${location}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as typeof request;
        return request?.status === 'done';
      },
      60_000,
    );
    expect(request!.counts!.linesRemoved).toBeGreaterThan(0);
    expect(await personIn(person)).toBe(false);
    await lake.close();
  }, 180_000);
});
