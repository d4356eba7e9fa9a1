import { resolve } from 'node:path';
import { cruise } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');

/**
 * Every repository file a process loads from its entry, as dependency-cruiser resolves it.
 * `runtimeOnly` drops type-only imports (erased before Node runs the code); without it the
 * graph is what the type checker sees as well.
 */
async function importGraph(entry: string, runtimeOnly: boolean): Promise<string[]> {
  const result = await cruise(
    [entry],
    {
      baseDir: root,
      tsPreCompilationDeps: !runtimeOnly,
      doNotFollow: { path: 'node_modules' },
      exclude: { path: 'node_modules' },
    },
    { extensions: ['.ts', '.js'] },
  );
  if (typeof result.output === 'string') throw new Error('expected a JSON cruise result');
  return result.output.modules.map((m) => m.source).filter((source) => source.startsWith('commerce/'));
}

const ordersOrShipping = /^commerce\/src\/modules\/(orders|shipping)\//;

// Resolving every import of the whole monolith is CPU work: seconds alone, a minute on a loaded machine.
describe('the payments process (payments-main.ts) on its own', { timeout: 180_000 }, () => {
  it.each([
    ['at run time', true],
    ['including type-only imports', false],
  ])('loads no orders or shipping module file %s', async (_, runtimeOnly) => {
    const files = await importGraph('commerce/src/payments-main.ts', runtimeOnly);
    // The walk really happened: the payments module and the order events it subscribes to are in it.
    expect(files).toContain('commerce/src/modules/payments/payments.module.ts');
    expect(files).toContain('commerce/src/events/orders.events.ts');
    expect(files.filter((f) => ordersOrShipping.test(f))).toEqual([]);
  });

  it('is told apart from the monolith, which loads both modules', async () => {
    const files = await importGraph('commerce/src/main.ts', true);
    expect(files).toContain('commerce/src/modules/orders/orders.module.ts');
    expect(files).toContain('commerce/src/modules/shipping/shipping.module.ts');
  });
});
