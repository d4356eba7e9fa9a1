import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findUndeclaredImports } from '../../scripts/workspace-imports.ts';

const made: string[] = [];
function tree(files: Record<string, string | object>): string {
  const dir = mkdtempSync(join(tmpdir(), 'workspace-imports-'));
  made.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const root = { name: 'root', private: true, workspaces: ['packages/*', 'app'], devDependencies: { vitest: '*' } };
const found = (dir: string) => findUndeclaredImports(dir).map((u) => `${u.file}:${u.line} ${u.packageName}`);

describe('workspace imports check', () => {
  it('passes declared packages, workspace siblings named in the manifest, builtins, relative paths and the workspace itself', () => {
    const dir = tree({
      'package.json': root,
      'packages/lib/package.json': { name: '@x/lib', dependencies: { pino: '*' } },
      'packages/lib/src/index.ts': "import pino from 'pino';\nimport { join } from 'node:path';\nimport { readFile } from 'fs/promises';\nimport './other.ts';\nexport * from '@x/lib/sub';\n",
      'app/package.json': { name: 'app', dependencies: { '@x/lib': '*' }, devDependencies: { 'fast-check': '*' } },
      'app/src/main.ts': "import type { Logger } from '@x/lib';\nconst fc = await import('fast-check');\n",
    });
    expect(found(dir)).toEqual([]);
  });

  it('flags every kind of import of an undeclared package, with its line', () => {
    const dir = tree({
      'package.json': root,
      'app/package.json': { name: 'app', dependencies: {} },
      'app/src/main.ts': [
        "import { z } from 'zod';",
        "import type { FastifyInstance } from 'fastify';",
        "export { x } from '@x/lib/deep/path';",
        "const m = await import('ioredis');",
        "const r = require('pino');",
        "const hooks = import.meta.resolve('tsx/esm/api');",
        "// import { nothing } from 'commented-out';",
      ].join('\n'),
    });
    expect(found(dir)).toEqual(['app/src/main.ts:1 zod', 'app/src/main.ts:2 fastify', 'app/src/main.ts:3 @x/lib', 'app/src/main.ts:4 ioredis', 'app/src/main.ts:5 pino', 'app/src/main.ts:6 tsx']);
  });

  it("lets test code use the root's devDependencies, and nothing else undeclared", () => {
    const dir = tree({
      'package.json': root,
      'app/package.json': { name: 'app' },
      'app/test/a.test.ts': "import { it } from 'vitest';\nimport pg from 'pg';\n",
      'app/src/b.test.ts': "import { it } from 'vitest';\n",
      'app/src/c.ts': "import { it } from 'vitest';\n",
    });
    expect(found(dir)).toEqual(['app/src/c.ts:1 vitest', 'app/test/a.test.ts:2 pg']);
  });

  it('finds every workspace of this repository declaring the packages it imports', () => {
    expect(findUndeclaredImports(resolve(import.meta.dirname, '../..'))).toEqual([]);
  });
});
