import { afterAll, describe, expect, it } from 'vitest';
import { cruise, removeCruiseDirs } from './cruise.ts';

const speedIndex = { 'analytics/src/speed/index.ts': "export { layer } from './speed-layer.ts';\n" };
const speedInternal = { 'analytics/src/speed/speed-layer.ts': 'export const layer = 1;\n' };
const fakePackage = (name: string) => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, type: 'module', main: 'index.js' }),
  [`node_modules/${name}/index.js`]: 'export const x = 1;\n',
});

afterAll(removeCruiseDirs);

describe('analytics component rules (dependency-cruiser)', { timeout: 120_000 }, () => {
  it('accept components and entry points meeting through index.ts, and a unit test importing vitest', async () => {
    const result = await cruise({
      ...speedIndex,
      ...speedInternal,
      ...fakePackage('vitest'),
      'analytics/src/serving/serving-layer.ts': "import { layer } from '../speed/index.ts';\nexport const s = layer;\n",
      'analytics/src/processes/speed.ts': "import { layer } from '../speed/index.ts';\nexport const p = layer;\n",
      'analytics/src/speed/speed-layer.test.ts': "import { x } from 'vitest';\nimport { layer } from './speed-layer.ts';\nexport const t = [x, layer];\n",
    });
    expect(result.output).not.toContain('error');
    expect(result.ok).toBe(true);
  });

  it('reject a component or an entry point reaching past another component\'s index.ts', async () => {
    const result = await cruise({
      ...speedIndex,
      ...speedInternal,
      'analytics/src/processes/speed.ts': "import { layer } from '../speed/speed-layer.ts';\nexport const p = layer;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('analytics-component-deep-import');
  });

  it('reject a component importing the composition root or a process entry', async () => {
    const result = await cruise({
      'analytics/src/config.ts': 'export const config = 1;\n',
      'analytics/src/processes/speed.ts': 'export const p = 1;\n',
      'analytics/src/speed/speed-config.ts': "import { config } from '../config.ts';\nimport { p } from '../processes/speed.ts';\nexport const c = [config, p];\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('analytics-component-imports-entry');
  });

  it('reject test code and test-only libraries in analytics/src, and vitest outside *.test.ts', async () => {
    const result = await cruise({
      ...fakePackage('vitest'),
      ...fakePackage('fast-check'),
      'analytics/test/support/fixture.ts': 'export const f = 1;\n',
      'analytics/src/speed/helper.ts': "import { x } from 'vitest';\nimport { f } from '../../test/support/fixture.ts';\nexport const h = [x, f];\n",
      'analytics/src/speed/props.test.ts': "import { x } from 'fast-check';\nexport const p = x;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('analytics-vitest-outside-tests');
    expect(result.output).toMatch(/analytics-src-imports-test-code: analytics\/src\/speed\/helper\.ts → analytics\/test\/support\/fixture\.ts/);
    expect(result.output).toMatch(/analytics-src-imports-test-code: analytics\/src\/speed\/props\.test\.ts → node_modules\/fast-check/);
  });

  it('reject an import cycle in analytics, even inside one component', async () => {
    const result = await cruise({
      'analytics/src/serving/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'analytics/src/serving/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    });
    expect(result.ok).toBe(false);
    expect(result.output).toContain('analytics-no-circular');
  });
});
