import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { freePort } from '@shop/platform/testing';
import { createStorefrontApp } from '../../src/server/app.ts';
import { loadStorefrontConfig } from '../../src/server/config.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
export const ADMIN = { email: 'admin@storefront.test', password: 'storefront-admin-password' };

export interface Stack {
  commerceUrl: string;
  storefrontUrl: string;
  storefront: FastifyInstance;
  /** A bearer token of the commerce admin, to check what the API holds. */
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The commerce API as `npm start` runs it (its own process, embedded engines, demo catalog, a
 * temporary DATA_DIR) and the storefront in this process in front of it, each on a free port.
 * The storefront reaches commerce over HTTP only, as in production. `env` configures the
 * storefront, `commerceEnv` adds to commerce's environment.
 */
export async function startStack(env: Record<string, string> = {}, commerceEnv: Record<string, string> = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'storefront-test-'));
  const commercePort = await freePort();
  const commerce: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'commerce/src/main.ts')], {
    cwd: repoRoot,
    env: {
      // Embedded engines whatever the developer's shell points at.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|REDIS_URL|EVENTS_NATS_URL|PAYMENTS_|ANALYTICS_)/.test(k))),
      DATA_DIR: dataDir,
      COMMERCE_PORT: String(commercePort),
      SEED_DEMO_DATA: 'true',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      EVENTS_POLL_INTERVAL_MS: '50',
      LOG_LEVEL: 'warn',
      ...commerceEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  commerce.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const commerceUrl = `http://127.0.0.1:${commercePort}`;
  const stop = async () => {
    if (commerce.exitCode === null) {
      commerce.kill('SIGTERM');
      await new Promise((r) => commerce.once('exit', r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  let storefront: FastifyInstance;
  try {
    await waitReady(`${commerceUrl}/ready`, () => commerce.exitCode !== null, () => stderr);
    const config = loadStorefrontConfig({ COMMERCE_URL: commerceUrl, LOG_LEVEL: 'warn', ...env });
    storefront = await createStorefrontApp(config, { logger: false });
    await storefront.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await stop();
    throw error;
  }
  const { port } = storefront.server.address() as { port: number };
  return {
    commerceUrl,
    storefrontUrl: `http://127.0.0.1:${port}`,
    storefront,
    async adminToken() {
      const res = await fetch(`${commerceUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      return ((await res.json()) as { token: string }).token;
    },
    async close() {
      await storefront.close();
      await stop();
    },
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
