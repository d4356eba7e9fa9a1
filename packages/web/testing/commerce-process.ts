import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@shop/platform/testing';

const repoRoot = resolve(import.meta.dirname, '../../..');

export interface CommerceProcess {
  url: string;
  /** Signs in and answers a bearer token, to check what the API holds. */
  tokenOf(account: { email: string; password: string }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The commerce API as `npm start` runs it: its own process, embedded engines, the demo catalog, a
 * temporary DATA_DIR, on a free port. Clients under test reach it over HTTP only, as in production.
 * `env` adds accounts (ADMIN_EMAIL, STAFF_EMAIL...) and settings.
 */
export async function startCommerceProcess(env: Record<string, string>, prefix = 'commerce-test-'): Promise<CommerceProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const port = await freePort();
  const commerce: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'commerce/src/main.ts')], {
    cwd: repoRoot,
    env: {
      // Embedded engines whatever the developer's shell points at.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|REDIS_URL|EVENTS_NATS_URL|PAYMENTS_|ANALYTICS_|OBJECT_STORE_)/.test(k))),
      DATA_DIR: dataDir,
      COMMERCE_PORT: String(port),
      SEED_DEMO_DATA: 'true',
      EVENTS_POLL_INTERVAL_MS: '50',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  commerce.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (commerce.exitCode === null) {
      commerce.kill('SIGTERM');
      await new Promise((r) => commerce.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitReady(`${url}/ready`, () => commerce.exitCode !== null, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    async tokenOf(account) {
      const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
      return ((await res.json()) as { token: string }).token;
    },
    stop,
  };
}

// PGlite's first start (migrations, demo catalog) has taken minutes on this shared two-core machine.
async function waitReady(url: string, exited: () => boolean, output: () => string, timeoutMs = 600_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`commerce exited before it was ready:\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`commerce not ready at ${url} after ${timeoutMs} ms:\n${output()}`);
}

/** Polls until `check` holds; a guard against hangs, not a time bound on the behaviour. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
