import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

// The installed PGlite's version names the image, so an upgrade never starts from another version's cluster.
const pglitePackage = join(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')), '..', 'package.json');
const version = (JSON.parse(readFileSync(pglitePackage, 'utf8')) as { version: string }).version;
const file = join(tmpdir(), `shop-test-pglite-${version}.tar`);

let image: Promise<Blob> | undefined;

/**
 * The data directory of a freshly initialised, empty in-memory PGlite, for the tests' databases to start from:
 * initdb takes seconds of CPU, a copy of its result well under one. Made once per machine (a file in the temp
 * directory, written under another name and renamed, so parallel test files never read half of one) and read once
 * per test process.
 */
export function pgliteImage(): Promise<Blob> {
  image ??= (async () => {
    if (!existsSync(file)) {
      const db = await PGlite.create('memory://', { extensions: { pg_trgm } });
      const dump = await db.dumpDataDir('none');
      await db.close();
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, file);
    }
    return new Blob([readFileSync(file)]);
  })();
  return image;
}
