import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, realEngine } from '@shop/platform/testing';
import { databaseEngines } from '../support/databases.ts';
import { runTs, waitFor } from '../support/process.ts';

const redis = await realEngine('redis');
const postgres = databaseEngines().find((e) => e.name === 'postgres')!;

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'commerce-cluster-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The pids of a process's children, from /proc (Linux). */
const childrenOf = (pid: number): number[] =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('COMMERCE_PROCESSES', () => {
  it('refuses more than one process on the embedded engines, naming what is missing', async () => {
    const proc = runTs('commerce/src/main.ts', { COMMERCE_PROCESSES: '2', DATA_DIR: tempDir(), DATABASE_URL: '', REDIS_URL: '' });
    const { code } = await proc.exited;
    expect(code).toBe(2);
    expect(proc.output()).toContain('COMMERCE_PROCESSES: more than 1 needs DATABASE_URL');
    expect(proc.output()).toContain('COMMERCE_PROCESSES: more than 1 needs REDIS_URL');
  });

  it.skipIf(postgres.skip || !redis.available)('serves one port from two processes sharing PostgreSQL and Redis, and SIGTERM stops both', async () => {
    const database = await postgres.open();
    const port = await freePort();
    const proc = runTs('commerce/src/main.ts', {
      COMMERCE_PROCESSES: '2',
      COMMERCE_PORT: String(port),
      DATABASE_URL: database.url!,
      REDIS_URL: redis.url,
      DATA_DIR: tempDir(),
      SEED_DEMO_DATA: 'true',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor(`${base}/ready`);
      const deadline = Date.now() + 60_000;
      while (!proc.output().includes('(2 processes)') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const workers = childrenOf(proc.child.pid!);
      expect(workers).toHaveLength(2);

      // New connections go to the workers in turn: a cart made through one is read through the other.
      const { items } = (await (await fetch(`${base}/api/products?limit=1`)).json()) as { items: Array<{ defaultVariantId: string }> };
      const added = await fetch(`${base}/api/cart/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ variantId: items[0]!.defaultVariantId, quantity: 2 }),
      });
      const { cartToken } = (await added.json()) as { cartToken: string };
      for (let i = 0; i < 4; i++) {
        const cart = (await (await fetch(`${base}/api/cart`, { headers: { 'x-cart-token': cartToken, connection: 'close' } })).json()) as { itemCount: number };
        expect(cart.itemCount).toBe(2);
      }

      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
      expect(workers.filter(alive)).toEqual([]);
    } finally {
      proc.child.kill('SIGKILL');
      await database.cleanup();
    }
  }, 120_000);
});
