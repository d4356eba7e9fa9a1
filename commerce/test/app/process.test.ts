import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { realEngine } from '@shop/platform/testing';
import { databaseEngines } from '../support/databases.ts';
import { freePort, runTs, waitFor } from '../support/process.ts';

/** One GET on its own connection (no keep-alive), resolving to the status code. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

const received = (output: string) => output.split('\n').filter((l) => l.includes('"request received"') && l.includes('/api/products')).length;

const redis = await realEngine('redis');
const postgres = databaseEngines().find((e) => e.name === 'postgres')!;

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'commerce-proc-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// Each test starts its own app process on its own port and data directory; most of each is spent waiting for the
// child to start or to stop, so the four run side by side.
describe.concurrent('commerce process', () => {
  it('refuses to start on invalid configuration, naming the variable', async () => {
    const proc = runTs('commerce/src/main.ts', { DATABASE_URL: 'foo', COMMERCE_PORT: 'x', DATA_DIR: tempDir() });
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output()).toContain('DATABASE_URL must be a postgres:// URL');
    expect(proc.output()).toContain('COMMERCE_PORT must be a port number');
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const port = await freePort();
    const proc = runTs('commerce/src/main.ts', {
      COMMERCE_PORT: String(port),
      DATA_DIR: tempDir(),
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: 'debug',
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/ready`);
    // Twenty listings queue behind PGlite's single connection. SIGTERM is sent once the server has
    // logged receiving all of them (debug log), so every one is in flight inside the server, not
    // waiting in the kernel's accept queue, and each must still be answered.
    const before = received(proc.output());
    const inflight = Array.from({ length: 20 }, () => statusOf(`${base}/api/products?limit=24`));
    const deadline = Date.now() + 60_000;
    while (received(proc.output()) - before < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    proc.child.kill('SIGTERM');
    const statuses = await Promise.all(inflight).catch((error) => {
      throw new Error(`${String(error)}\n${proc.output().split("\n").filter((l) => !l.includes('"request"')).slice(-15).join("\n")}`);
    });
    expect(statuses.every((s) => s === 200)).toBe(true);
    const { code } = await proc.exited;
    expect(code).toBe(0);
    expect(proc.output()).toContain('shutting down');
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  }, 180_000);
});

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

describe.concurrent('COMMERCE_PROCESSES', () => {
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
