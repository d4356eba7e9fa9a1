import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const config = join(root, '.dependency-cruiser.cjs');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const made: string[] = [];

/** Lays out a miniature repository with the given files and runs the real rule set on it. */
async function cruise(files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
  made.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true } }));
  for (const top of ['commerce', 'analytics', 'packages', 'storefront']) mkdirSync(join(dir, top));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  try {
    const { stdout } = await run(depcruise, ['commerce', 'analytics', 'packages', 'storefront', '--config', config], { cwd: dir });
    return { ok: true, output: stdout };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

const cartIndex = { 'commerce/src/modules/cart/index.ts': "export const cart = 1;\n" };
const cartInternal = { 'commerce/src/modules/cart/infrastructure/cart.repository.ts': 'export const repo = 1;\n' };

afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('module boundary rules (dependency-cruiser)', () => {
  it('accept an import of another module through its index.ts', async () => {
    const result = await cruise({
      ...cartIndex,
      'commerce/src/modules/orders/application/checkout.ts': "import { cart } from '../../cart/index.ts';\nexport const x = cart;\n",
    });
    expect(result.output).not.toContain('error');
    expect(result.ok).toBe(true);
  });

  it('reject a deep import into another module', async () => {
    const result = await cruise({
      ...cartInternal,
      'commerce/src/modules/orders/application/checkout.ts':
        "import { repo } from '../../cart/infrastructure/cart.repository.ts';\nexport const x = repo;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('module-deep-import');
  });

  it('reject the composition root or shared code reaching into module internals', async () => {
    const result = await cruise({
      ...cartInternal,
      'commerce/src/app.ts': "import { repo } from './modules/cart/infrastructure/cart.repository.ts';\nexport const x = repo;\n",
      'commerce/src/shared/events/bus.ts': "import { cart } from '../../modules/cart/index.ts';\nexport const y = cart;\n",
      ...cartIndex,
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('outside-into-module-internals');
    expect(result.output).toContain('shared-imports-module');
  });

  it('reject a domain file importing infrastructure', async () => {
    const result = await cruise({
      ...cartInternal,
      'commerce/src/modules/cart/domain/cart.ts': "import { repo } from '../infrastructure/cart.repository.ts';\nexport const c = repo;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('domain-imports-outer-layer');
  });

  it('reject commerce importing analytics code', async () => {
    const result = await cruise({
      'analytics/src/collector/collector.ts': 'export const c = 1;\n',
      'commerce/src/shared/tracking.ts': "import { c } from '../../../analytics/src/collector/collector.ts';\nexport const t = c;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('commerce-analytics-apart');
  });

  it('reject the storefront importing commerce code instead of calling its API', async () => {
    const result = await cruise({
      ...cartIndex,
      'storefront/src/data/cart.ts': "import { cart } from '../../../commerce/src/modules/cart/index.ts';\nexport const c = cart;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('storefront-uses-the-public-api-only');
  });

  it('accept the storefront using the SDK package', async () => {
    const result = await cruise({
      'packages/sdk/src/index.ts': 'export const sdk = 1;\n',
      'storefront/src/data/cart.ts': "import { sdk } from '../../../packages/sdk/src/index.ts';\nexport const c = sdk;\n",
    });
    expect(result.ok).toBe(true);
  });
});
