import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, runTs, waitFor, type RunningProcess } from '../support/process.ts';

/** The README's commerce walk-through: the one fenced sh block between its markers. */
function walkthrough(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const found = /<!-- walkthrough:commerce -->\s*```sh\n([\s\S]*?)```\s*<!-- \/walkthrough:commerce -->/.exec(readme);
  if (!found?.[1]) throw new Error('README.md has no ```sh block between <!-- walkthrough:commerce --> and <!-- /walkthrough:commerce -->');
  return found[1];
}

interface Call {
  args: string;
  body: string;
}

/**
 * Runs the block with bash, strict (`-euo pipefail`: a failed step or an unset variable stops it),
 * with `curl` wrapped to keep each call's arguments and answer, in order, for the assertions.
 */
function runWalkthrough(script: string, base: string, dir: string): Promise<{ code: number | null; output: string; calls: Call[] }> {
  const lines = script.split('\n');
  const baseLine = lines.findIndex((l) => /^BASE=http:\/\/127\.0\.0\.1:3000\s*$/.test(l));
  if (baseLine < 0) throw new Error('the walk-through must set BASE=http://127.0.0.1:3000 on a line of its own');
  lines[baseLine] = `BASE=${base}`;
  const wrapper = [
    'set -euo pipefail',
    `CALLS=${JSON.stringify(dir)}`,
    'curl() { local f="$CALLS/$(date +%s%N)"; printf "%s\\n" "$*" > "$f.args"; command curl "$@" | tee "$f.body"; }',
  ].join('\n');
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', `${wrapper}\n${lines.join('\n')}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => {
      const calls = readdirSync(dir)
        .filter((f) => f.endsWith('.args'))
        .sort()
        .map((f) => ({ args: readFileSync(join(dir, f), 'utf8').trim(), body: readFileSync(join(dir, f.replace(/\.args$/, '.body')), 'utf8') }));
      resolve({ code, output, calls });
    });
  });
}

let app: RunningProcess;
let base: string;
const dirs: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), name));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  const port = await freePort();
  app = runTs('commerce/src/main.ts', { COMMERCE_PORT: String(port), DATA_DIR: tempDir('readme-app-'), SEED_DEMO_DATA: 'true', LOG_LEVEL: 'warn' });
  base = `http://127.0.0.1:${port}`;
  // Booting PGlite and loading the demo catalog takes minutes on a loaded two-core machine.
  await waitFor(`${base}/ready`, 280_000);
}, 300_000);

afterAll(async () => {
  app?.child.kill('SIGTERM');
  await app?.exited;
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe("the README's curl walk-through, run against a started app", () => {
  it('browses, fills a guest cart, registers, signs in with the cart merged, checks out and sees the order fulfilled', async () => {
    const { code, output, calls } = await runWalkthrough(walkthrough(), base, tempDir('readme-run-'));
    expect(code, output).toBe(0);
    const answer = (pattern: RegExp) => {
      const call = calls.find((c) => pattern.test(c.args));
      if (!call) throw new Error(`no call matching ${pattern}:\n${calls.map((c) => c.args).join('\n')}`);
      return JSON.parse(call.body);
    };

    const listing = answer(/\/api\/products\?limit=3$/);
    expect(listing.items).toHaveLength(3);
    for (const item of listing.items) expect(item.defaultVariantId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer(/\/api\/categories$/).items.length).toBeGreaterThan(0);

    const added = answer(/-X POST \S+\/api\/cart\/items/);
    expect(added.cartToken).toEqual(expect.any(String));
    expect(added.lines).toEqual([expect.objectContaining({ quantity: 2 })]);

    const signedIn = answer(/\/api\/auth\/login/);
    expect(signedIn.token).toEqual(expect.any(String));
    const merged = calls.filter((c) => /\/api\/cart -H authorization: Bearer/.test(c.args)).map((c) => JSON.parse(c.body));
    expect(merged[0].lines).toEqual([expect.objectContaining({ variantId: added.lines[0].variantId, quantity: 2 })]);

    expect(answer(/\/api\/checkout/).orderId).toEqual(expect.any(String));
    const order = JSON.parse(calls.at(-1)!.body);
    expect(order.status).toBe('fulfilled');
    expect(output).toMatch(/order \S+: fulfilled/);
  }, 180_000);
});
