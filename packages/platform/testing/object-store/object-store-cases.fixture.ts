import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createLocalObjectStore } from '../../src/object-store/local-object-store.ts';
import type { ObjectStore } from '../../src/object-store/object-store.ts';
import { startS3rver } from './s3rver.fixture.ts';

export interface ObjectStoreCase {
  name: string;
  /** A new store with no objects: a fresh directory, a fresh bucket. */
  open: () => Promise<ObjectStore>;
}

/**
 * The two stores a suite runs against, a local directory and a bucket on a real s3rver. Called
 * at a test file's top level, it starts s3rver before the file's tests and stops it after, with
 * every directory made by `tempDir` (which the suite may use for its own directories too).
 *
 * @example
 * const { local, s3, tempDir } = objectStoreCases('raw-rewrite');
 * for (const { name, open } of [local, s3]) describe(`raw rewrite on ${name}`, () => { ... });
 */
export function objectStoreCases(label: string, s3Options: { listPageSize?: number } = {}) {
  const dirs: string[] = [];
  const tempDir = async (name: string) => {
    const dir = await mkdtemp(join(tmpdir(), `${label}-${name}-`));
    dirs.push(dir);
    return dir;
  };
  let server: Awaited<ReturnType<typeof startS3rver>> | undefined;
  beforeAll(async () => {
    server = await startS3rver(await tempDir('s3rver'));
  });
  afterAll(async () => {
    await server?.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const local: ObjectStoreCase = { name: 'local directory', open: async () => createLocalObjectStore(await tempDir('local')) };
  const s3: ObjectStoreCase = {
    name: 'S3 (s3rver)',
    open: async () => {
      if (!server) throw new Error('s3rver is not running: call objectStoreCases at the top level of the test file');
      return server.newStore(s3Options);
    },
  };
  return { local, s3, tempDir };
}
