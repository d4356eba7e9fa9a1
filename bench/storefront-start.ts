/**
 * How long `npm start` takes to show the shop, on a fresh data directory: from launch until the
 * storefront answers `/health`, until commerce is ready (migrations, demo catalog), and the first
 * home page after that. Everything runs on free loopback ports and stops at the end.
 *
 *   npm run bench:storefront-start
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, repoRoot } from '../commerce/test/support/process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'bench-npm-start-'));
const [commercePort, analyticsPort, storefrontPort] = [await freePort(), await freePort(), await freePort()];
const started = performance.now();
const child = spawn('npm', ['start'], {
  cwd: repoRoot,
  env: { ...process.env, DATA_DIR: dataDir, COMMERCE_PORT: String(commercePort), ANALYTICS_PORT: String(analyticsPort), STOREFRONT_PORT: String(storefrontPort) },
  stdio: 'ignore',
  detached: true,
});

const answers = async (url: string) => {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
};
const seen: Record<string, number> = {};
try {
  const deadline = started + 600_000;
  while (!(seen.storefront && seen.commerce) && performance.now() < deadline) {
    if (!seen.storefront && (await answers(`http://127.0.0.1:${storefrontPort}/health`))) seen.storefront = performance.now() - started;
    if (!seen.commerce && (await answers(`http://127.0.0.1:${commercePort}/ready`))) seen.commerce = performance.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  const t0 = performance.now();
  const home = await fetch(`http://127.0.0.1:${storefrontPort}/`);
  await home.text();
  console.log(`npm start, fresh data directory (${new Date().toISOString()}):`);
  console.log(`  storefront answers /health after ${((seen.storefront ?? NaN) / 1000).toFixed(1)} s`);
  console.log(`  commerce ready after ${((seen.commerce ?? NaN) / 1000).toFixed(1)} s`);
  console.log(`  then the first home page: ${home.status} in ${(performance.now() - t0).toFixed(0)} ms`);
} finally {
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, 3000));
  rmSync(dataDir, { recursive: true, force: true });
}
