import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalObjectStore } from './local-object-store.ts';
import { objectStoreContract } from './object-store.contract.ts';
import { startS3rver } from './s3rver.fixture.ts';

const dirs: string[] = [];
const tempDir = async (label: string) => {
  const dir = await mkdtemp(join(tmpdir(), `object-store-${label}-`));
  dirs.push(dir);
  return dir;
};

let s3: Awaited<ReturnType<typeof startS3rver>> | undefined;
beforeAll(async () => {
  s3 = await startS3rver(await tempDir('s3rver'));
});
afterAll(async () => {
  await s3?.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

objectStoreContract('local directory', async () => createLocalObjectStore(await tempDir('local')));
// A small page size so that the paging test crosses pages.
objectStoreContract('S3 (s3rver)', () => s3!.newStore({ listPageSize: 10 }), { atomicPutUnsupportedBy: 's3rver, which writes objects in place' });

describe('local object store specifics', () => {
  it('keeps objects as plain files at localPath and leaves no temporary file behind', async () => {
    const store = await createLocalObjectStore(await tempDir('paths'));
    const key = 'raw/tenant=acme/date=2026-11-25/hour=10/p1.ndjson';
    await store.put(key, 'line\n');
    expect(store.localPath(key)).toBe(join(store.rootDir, key));
    expect(await readdir(join(store.rootDir, 'raw/tenant=acme/date=2026-11-25/hour=10'))).toEqual(['p1.ndjson']);
  });
});
