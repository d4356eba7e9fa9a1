import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';

/**
 * What the batch layer needs from the data lake: list, get and an atomic put of whole objects.
 * The archiver's ObjectStore (S3 or a directory) satisfies it; `localPath` is the shortcut for a
 * directory, so DuckDB reads raw files in place instead of copying them to a temp dir.
 */
export interface LakeStore {
  /** Every key under `prefix`, in any order. */
  list(prefix: string): Promise<string[]>;
  get(key: string): Promise<Uint8Array | null>;
  /** Replaces the object at once: readers see the old bytes or the new ones, never a part. */
  put(key: string, body: Uint8Array): Promise<void>;
  /** Set only when objects are plain files: the file holding `key`. */
  localPath?(key: string): string;
}

/**
 * A lake in a local directory. `put` writes a temp file, fsyncs it and renames it over the key,
 * then fsyncs the directory, so a crash leaves the old object or the new one.
 */
export function createLocalLake(root: string): LakeStore {
  const pathOf = (key: string) => join(root, ...key.split('/'));
  return {
    async list(prefix) {
      const keys: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        let entries;
        try {
          entries = await readdir(dir, { withFileTypes: true });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
          throw error;
        }
        for (const entry of entries) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) await walk(full);
          else if (entry.isFile() && !entry.name.startsWith('.tmp-')) keys.push(relative(root, full).split(sep).join('/'));
        }
      };
      // Walk from the deepest whole folder of the prefix, then keep the keys that match it.
      const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
      await walk(pathOf(folder));
      return keys.filter((k) => k.startsWith(prefix));
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async put(key, body) {
      const target = pathOf(key);
      const temp = join(dirname(target), `.tmp-${randomUUID()}`);
      await mkdir(dirname(target), { recursive: true });
      const handle = await open(temp, 'w');
      try {
        await handle.writeFile(body);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
      await syncDir(dirname(target));
    },
    localPath: pathOf,
  };
}

/** Moves a finished file into place atomically and durably (the local lake's put, without a copy). */
export async function publishLocalFile(temp: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
  await syncDir(dirname(target));
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
