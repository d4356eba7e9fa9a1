import { afterAll, describe, expect, it } from 'vitest';
import { cruise, removeCruiseDirs } from './cruise.ts';

const cartIndex = { 'commerce/src/modules/cart/index.ts': "export const cart = 1;\n" };
const cartInternal = { 'commerce/src/modules/cart/infrastructure/cart.repository.ts': 'export const repo = 1;\n' };

afterAll(removeCruiseDirs);

describe('module boundary rules (dependency-cruiser)', { timeout: 120_000 }, () => {
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

  it('reject an import cycle between two modules', async () => {
    const result = await cruise({
      'commerce/src/modules/orders/index.ts': "import { p } from '../payments/index.ts';\nexport const o = p;\n",
      'commerce/src/modules/payments/index.ts': "import { o } from '../orders/index.ts';\nexport const p = o;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('no-circular');
  });

  it('reject an event contract that loads its module', async () => {
    const result = await cruise({
      ...cartIndex,
      'commerce/src/events/cart.events.ts': "import { cart } from '../modules/cart/index.ts';\nexport const CartEmptied = cart;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('event-contracts-are-leaves');
  });

  it('reject production code importing a test library or test support, and accept a unit test doing so', async () => {
    const result = await cruise({
      'commerce/test/support/fake.ts': 'export const fake = 1;\n',
      'commerce/src/shared/kv/memory-store.ts': "import { fake } from '../../../test/support/fake.ts';\nexport const m = fake;\n",
      'packages/platform/src/http/server.ts': "import { it } from 'vitest';\nexport const s = it;\n",
      'commerce/src/shared/kv/memory-store.test.ts': "import { it } from 'vitest';\nexport const t = it;\n",
    });
    expect(result.ok).toBe(false);
    const lines = result.output.split('\n').filter((l) => l.includes('production-imports-test-code'));
    expect(lines.some((l) => l.includes('memory-store.ts →'))).toBe(true);
    expect(lines.some((l) => l.includes('server.ts →'))).toBe(true);
    expect(lines.some((l) => l.includes('memory-store.test.ts'))).toBe(false);
  });

  it('reject application code importing infrastructure, the database layer or a database client', async () => {
    const result = await cruise({
      ...cartInternal,
      'commerce/src/shared/database/pg-database.ts': 'export const pgDb = 1;\n',
      'commerce/src/modules/cart/application/add-item.ts':
        "import { repo } from '../infrastructure/cart.repository.ts';\nimport { pgDb } from '../../../shared/database/pg-database.ts';\nimport Redis from 'ioredis';\nexport const a = [repo, pgDb, Redis];\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output.split('\n').filter((l) => l.includes('inner-layers-import-infrastructure'))).toHaveLength(3);
  });
});
