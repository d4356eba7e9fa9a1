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
});
