import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort } from '@shop/platform/testing';
import { until } from '@shop/web/testing';

const repoRoot = resolve(import.meta.dirname, '../../..');

/**
 * The storefront as its own process in front of `commerceUrl`, to see what shoppers see after a
 * back-office change. Started by path, never imported: the two clients share nothing but the API.
 */
export async function startStorefrontProcess(commerceUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'storefront/src/server/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, STOREFRONT_PORT: String(port), COMMERCE_URL: commerceUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  };
  try {
    await until('the storefront to listen', async () => (await fetch(`${url}/health`).catch(() => null))?.ok === true, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
