import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, runTs, waitFor } from '../support/process.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'commerce-proc-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('commerce process', () => {
  it('refuses to start on invalid configuration, naming the variable', async () => {
    const proc = runTs('commerce/src/main.ts', { DATABASE_URL: 'foo', COMMERCE_PORT: 'x', DATA_DIR: tempDir() });
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output()).toContain('DATABASE_URL must be a postgres:// URL');
    expect(proc.output()).toContain('COMMERCE_PORT must be a port number');
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const port = await freePort();
    const proc = runTs('commerce/src/main.ts', { COMMERCE_PORT: String(port), DATA_DIR: tempDir(), SEED_DEMO_DATA: 'true' });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/ready`);
    // Many listings at once keep the single embedded connection busy, so some are in flight at SIGTERM.
    const inflight = Array.from({ length: 40 }, () => fetch(`${base}/api/products?limit=100`).then((r) => r.status));
    await new Promise((r) => setTimeout(r, 20));
    proc.child.kill('SIGTERM');
    const statuses = await Promise.all(inflight);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const { code } = await proc.exited;
    expect(code).toBe(0);
    expect(proc.output()).toContain('shutting down');
    await expect(fetch(`${base}/health`)).rejects.toThrow();
  }, 180_000);
});
