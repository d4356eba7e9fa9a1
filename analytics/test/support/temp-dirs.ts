import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Temp directories for one test file, removed after its tests. Call at the file's top level.
 *
 * @example
 * const tempDir = tempDirs('erasure-list');
 * const store = createLocalObjectStore(await tempDir());
 */
export function tempDirs(label: string): (name?: string) => Promise<string> {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  return async (name) => {
    const dir = await mkdtemp(join(tmpdir(), `${label}-${name ? `${name}-` : ''}`));
    dirs.push(dir);
    return dir;
  };
}
