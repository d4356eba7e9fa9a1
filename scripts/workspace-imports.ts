import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** A bare import of a package the workspace does not declare. */
export interface UndeclaredImport {
  workspace: string;
  file: string;
  line: number;
  packageName: string;
}

interface Manifest {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const SOURCE = /\.(?:[cm]?[jt]sx?)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.git']);
// Test code may lean on the repository's tooling (vitest, fast-check, playwright), declared once at the root.
const TEST_CODE = /(?:^|\/)(?:test|testing)\/|\.test\.[cm]?[jt]sx?$/;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const declared = (m: Manifest) => new Set(Object.keys({ ...m.dependencies, ...m.devDependencies, ...m.peerDependencies, ...m.optionalDependencies }));

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; null for relative, absolute, builtin and URL specifiers. */
export function packageOf(specifier: string): string | null {
  if (/^[./#]/.test(specifier) || /^[a-z][a-z0-9+.-]*:/i.test(specifier) || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** The workspace directories the root manifest names (`dir/*` globs and plain paths). */
export function workspaceDirs(root: string): string[] {
  return (readManifest(root).workspaces ?? []).flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(parent, e.name));
  }).filter((dir) => statSync(join(dir, 'package.json'), { throwIfNoEntry: false })?.isFile());
}

function sourceFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries.flatMap((e) => {
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : sourceFiles(join(dir, e.name));
    return SOURCE.test(e.name) && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [];
  });
}

/**
 * Every bare import (static, dynamic, `require`, re-export, `import.meta.resolve`) in each
 * workspace of `root` whose package the workspace's package.json does not declare. npm hoists
 * every workspace's dependencies to the root node_modules, so such an import works here and
 * breaks wherever the workspace is installed or deployed on its own. Test code may also use the
 * root's devDependencies.
 */
export function findUndeclaredImports(root: string): UndeclaredImport[] {
  const rootDeclared = declared(readManifest(root));
  const found: UndeclaredImport[] = [];
  for (const dir of workspaceDirs(root)) {
    const manifest = readManifest(dir);
    const own = declared(manifest);
    const workspace = manifest.name ?? relative(root, dir);
    for (const file of sourceFiles(dir)) {
      const path = relative(dir, file).split('\\').join('/');
      const text = readFileSync(file, 'utf8');
      const specifiers = [...ts.preProcessFile(text, true, true).importedFiles];
      // preProcessFile does not see import.meta.resolve, which module hooks and worker bootstraps use.
      for (const match of text.matchAll(/import\.meta\.resolve\(\s*(['"])([^'"]+)\1/g)) specifiers.push({ fileName: match[2]!, pos: match.index, end: match.index });
      for (const { fileName, pos } of specifiers.sort((a, b) => a.pos - b.pos)) {
        const packageName = packageOf(fileName);
        if (!packageName || packageName === manifest.name || own.has(packageName)) continue;
        if (TEST_CODE.test(path) && rootDeclared.has(packageName)) continue;
        found.push({ workspace, file: relative(root, file), line: text.slice(0, pos).split('\n').length, packageName });
      }
    }
  }
  return found;
}
