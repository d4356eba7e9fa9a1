import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalObjectStore } from './local-object-store.ts';
import { objectStoreCases } from '../../testing/object-store/object-store-cases.fixture.ts';
import { objectStoreContract } from '../../testing/object-store/object-store.contract.ts';

// A small page size so that the paging test crosses pages.
const { local, s3, tempDir } = objectStoreCases('object-store', { listPageSize: 10 });

objectStoreContract(local.name, local.open);
objectStoreContract(s3.name, s3.open, { atomicPutUnsupportedBy: 's3rver, which writes objects in place' });

describe('local object store specifics', () => {
  it('keeps objects as plain files at localPath and leaves no temporary file behind', async () => {
    const store = await createLocalObjectStore(await tempDir('paths'));
    const key = 'raw/tenant=acme/date=2026-11-25/hour=10/p1.ndjson';
    await store.put(key, 'line\n');
    expect(store.localPath(key)).toBe(join(store.rootDir, key));
    expect(await readdir(join(store.rootDir, 'raw/tenant=acme/date=2026-11-25/hour=10'))).toEqual(['p1.ndjson']);
  });

  it('lets the event loop run while it lists many folders', async () => {
    const store = await createLocalObjectStore(await tempDir('many-folders'));
    for (let f = 0; f < 300; f++) {
      const dir = join(store.rootDir, `t/f${String(f).padStart(3, '0')}`);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'o'), '');
    }
    let turns = 0;
    const tick = () => {
      turns++;
      if (!done) setImmediate(tick);
    };
    let done = false;
    setImmediate(tick);
    const keys = await store.list('t/');
    done = true;
    expect(keys).toHaveLength(300);
    expect(turns).toBeGreaterThan(1);
  });
});
