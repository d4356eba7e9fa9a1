import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkKey, compareKeys, type ObjectStore } from './object-store.ts';

export interface LocalObjectStore extends ObjectStore {
  readonly rootDir: string;
  /** Where `key` lives on disk, so DuckDB (and people) can read the files directly. */
  localPath(key: string): string;
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const isValidKey = (key: string): boolean => {
  try {
    checkKey(key);
    return true;
  } catch {
    return false;
  }
};

const isMissing = (error: unknown): boolean => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * An object store in a local directory (the embedded default), one file per key.
 * `put` writes a temporary file beside the target, fsyncs it, renames it over the key and
 * fsyncs the directory (and any directory it had to create), so a reader sees either the old
 * file or the whole new one, and a resolved put survives a crash.
 *
 * @example
 * const store = await createLocalObjectStore('./data/analytics/lake');
 * await store.put('raw/tenant=acme/x.ndjson', '{"a":1}\n');
 * duckdb.run(`SELECT * FROM read_json('${store.localPath('raw/tenant=acme/x.ndjson')}')`);
 */
export async function createLocalObjectStore(rootDir: string): Promise<LocalObjectStore> {
  const store = localObjectStore(rootDir);
  await mkdir(store.rootDir, { recursive: true });
  return store;
}

const FOLDERS_PER_TURN = 64;

/**
 * The same store without creating its directory first, for callers that cannot wait (a missing
 * directory lists as empty and is created by the first put).
 */
export function localObjectStore(rootDir: string): LocalObjectStore {
  const root = resolve(rootDir);
  const pathOf = (key: string): string => {
    checkKey(key);
    return join(root, key);
  };

  // Folders are read synchronously: a listing walks many small folders (a lake's day is two dozen hour folders),
  // and a thread-pool round trip per folder cost five times the CPU of the reads themselves. The walk yields to the
  // event loop every FOLDERS_PER_TURN folders, so listing a whole lake does not hold it for long.
  let folders = 0;
  const walk = async (dir: string, keyPrefix: string, namePrefix: string, out: string[]): Promise<void> => {
    if (++folders % FOLDERS_PER_TURN === 0) await new Promise(setImmediate);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      // A directory removed while we list it simply holds nothing.
      if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      // Dot names are our temporary files (and never valid key segments).
      if (entry.name.startsWith('.') || !entry.name.startsWith(namePrefix)) continue;
      const key = keyPrefix + entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), `${key}/`, '', out);
      else if (entry.isFile()) out.push(key);
    }
  };

  return {
    rootDir: root,
    localPath: pathOf,

    async put(key, body) {
      const path = pathOf(key);
      const dir = dirname(path);
      const created = await mkdir(dir, { recursive: true });
      const temp = join(dir, `.${basename(path)}.${randomUUID()}.tmp`);
      try {
        await writeFile(temp, body, { flush: true });
        await rename(temp, path);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      await fsyncDir(dir);
      // A directory created for this key is durable only once its parent's entry is.
      if (created !== undefined) {
        const top = dirname(created);
        for (let d = dir; d !== top && d !== dirname(d); ) {
          d = dirname(d);
          await fsyncDir(d);
        }
      }
    },

    async get(key) {
      try {
        const bytes = await readFile(pathOf(key));
        return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async list(prefix) {
      const cut = prefix.lastIndexOf('/') + 1;
      const keyPrefix = prefix.slice(0, cut);
      // A prefix whose directory part is no valid key path can match no key (and must not escape the root).
      if (keyPrefix !== '' && !isValidKey(keyPrefix.slice(0, -1))) return [];
      const out: string[] = [];
      await walk(join(root, keyPrefix), keyPrefix, prefix.slice(cut), out);
      return out.filter((key) => key.startsWith(prefix)).sort(compareKeys);
    },

    async delete(key) {
      const path = pathOf(key);
      try {
        await unlink(path);
      } catch (error) {
        if (isMissing(error)) return;
        throw error;
      }
      await fsyncDir(dirname(path));
    },

    async head(key) {
      try {
        const info = await stat(pathOf(key));
        return info.isFile() ? { size: info.size } : null;
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },

    async close() {},
  };
}

/**
 * Moves a finished local file (written beside `target`, e.g. by DuckDB) into place as atomically
 * and durably as `put`, without reading it into memory: fsync, rename, fsync the directory.
 */
export async function publishLocalFile(temp: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
  await fsyncDir(dirname(target));
}
