import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** Where the generators look for code: the two systems, the two web clients and the shared packages. */
const SOURCE_ROOTS = ['commerce/src', 'analytics/src', 'storefront/src', 'backoffice/src', 'packages'];

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

/**
 * Every non-test TypeScript source file of the apps, read once. The generators find what they
 * document by content (an exported config schema, an event definition), not by a path list, so
 * a file that moves is still found.
 */
export function sourceFiles(root = repoRoot): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'fixtures' && entry.name !== 'public') walk(full);
      } else if (/\.ts$/.test(entry.name) && !/\.(test|bench)\.ts$/.test(entry.name)) {
        files.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const dir of SOURCE_ROOTS) walk(join(root, dir));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Imports a source file by its repository-relative path. */
export function importSource(path: string, root = repoRoot): Promise<Record<string, unknown>> {
  return import(join(root, path));
}
