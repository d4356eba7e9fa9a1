import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A path's change time (ctime: any write, rename, new or removed entry, even a restored mtime)
 * says "unchanged" only when it lies this far before the reading began. A change made right after
 * the reading, within the same tick of the file system's clock, would otherwise leave the time it
 * had when the reading was remembered (git's "racy" rule). Recently changed paths are read again
 * each time, which for a lake is today's hour folder.
 */
export const SETTLED_MS = 1_000;

/** Readings remembered at most; past it the oldest go (a lake of a few dozen tenants and 93 days fits). */
const MAX_REMEMBERED = 5_000;

/** What a path is now (null when it is gone), and when it last changed. */
interface Mark {
  path: string;
  is: string | null;
  changedMs: number;
}

interface Remembered {
  marks: readonly Mark[];
  value: unknown;
}

const remembered = new Map<string, Remembered>();

const markOf = (path: string): Mark => {
  const seen = statSync(path, { throwIfNoEntry: false });
  return { path, is: seen ? `${seen.ino}:${seen.size}:${seen.ctimeMs}` : null, changedMs: seen?.ctimeMs ?? Infinity };
};

/** A folder and the folders directly in it: a new entry changes the folder, a new object the subfolder holding it. */
export function folderAndSubfolders(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [dir];
  }
  return [dir, ...entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => join(dir, e.name))];
}

/**
 * `read()` as last answered while none of `paths()` (as they were then) has changed since; read
 * again otherwise. The marks are taken before the reading, so a change during it shows next time.
 * Only a reading whose paths had all settled is remembered.
 *
 * @example
 * const keys = await whileUnchanged(`day:${dir}`, () => folderAndSubfolders(dir), () => lake.list(prefix));
 */
export async function whileUnchanged<T>(key: string, paths: () => string[], read: () => Promise<T>): Promise<T> {
  const kept = remembered.get(key);
  if (kept && kept.marks.every((mark) => markOf(mark.path).is === mark.is)) return kept.value as T;
  remembered.delete(key);
  const started = Date.now();
  const marks = paths().map(markOf);
  const value = await read();
  // A path that is gone changed at no known time: its reading is not remembered.
  if (marks.every((mark) => mark.changedMs < started - SETTLED_MS)) {
    remembered.set(key, { marks, value });
    for (const old of remembered.keys()) {
      if (remembered.size <= MAX_REMEMBERED) break;
      remembered.delete(old);
    }
  }
  return value;
}
