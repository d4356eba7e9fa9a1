import { createHash, randomUUID } from 'node:crypto';
import { access, link, mkdir, mkdtemp, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { erasureList, type ErasureList, type ErasureSnapshot } from './erasure-guard.ts';
import type { LakeStore } from './lake-store.ts';
import { columnarKey, columnarStampKey, copyMatches, readColumnarStamp, type ColumnarStamp } from './raw-columnar.ts';
import { rawDayPrefix } from './layout.ts';
import { folderAndSubfolders, whileUnchanged } from './unchanged-paths.ts';
import { dayRaw } from './raw-manifest.ts';

/** The raw store could not be read (an object store down or refusing): the question cannot be answered now. */
export class RawStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`The raw event store cannot be read right now: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'RawStoreUnavailableError';
  }
}

export interface RawDay {
  date: string;
  keys: string[];
  objects: number;
  /** The stamp of a columnar copy that holds exactly `keys` as of the erasure list; null when the day reads NDJSON. */
  copy: ColumnarStamp | null;
}

const CONCURRENCY = 8;

// One list per lake, so a request settled once is not read again on every question.
const erasureLists = new WeakMap<LakeStore, ErasureList>();

/** What each day of `dates` holds for one tenant: its raw listing and whether its copy can stand in for it. */
export async function readRawDays(lake: LakeStore, tenantId: string, dates: readonly string[]): Promise<RawDay[]> {
  return throughPort(async () => {
    let erasures: Promise<ErasureSnapshot> | undefined;
    const snapshot = () => {
      let list = erasureLists.get(lake);
      if (!list) erasureLists.set(lake, (list = erasureList(lake)));
      return (erasures ??= list.snapshot(tenantId));
    };
    return mapLimited(dates, async (date) => {
      const { objects: keys, manifest } = await rememberedDayRaw(lake, tenantId, date);
      if (keys.length === 0) return { date, keys, objects: 0, copy: null };
      const stamp = await rememberedStamp(lake, tenantId, date);
      const copy = stamp && stamp.raw.sha256 === manifest.sha256 && copyMatches(stamp, manifest, await snapshot()) ? stamp : null;
      return { date, keys, objects: keys.length, copy };
    });
  });
}

/**
 * A local lake's day listing and copy stamp are remembered while their folders and file are
 * unchanged (unchanged-paths.ts): a 30-day question then checks 25 folder times a day instead of
 * listing 25 folders and reading the stamp. Another store is listed each time.
 */
function rememberedDayRaw(lake: LakeStore, tenantId: string, date: string): ReturnType<typeof dayRaw> {
  if (!lake.localPath) return dayRaw(lake, tenantId, date);
  const dir = lake.localPath(rawDayPrefix(tenantId, date).slice(0, -1));
  return whileUnchanged(`raw-day:${dir}`, () => folderAndSubfolders(dir), () => dayRaw(lake, tenantId, date));
}

function rememberedStamp(lake: LakeStore, tenantId: string, date: string): Promise<ColumnarStamp | null> {
  if (!lake.localPath) return readColumnarStamp(lake, tenantId, date);
  const file = lake.localPath(columnarStampKey(tenantId, date));
  return whileUnchanged(`stamp:${file}`, () => [file], () => readColumnarStamp(lake, tenantId, date));
}

/**
 * A day's copy as a local file: in place in a local lake, else in `cacheDir` under its digest
 * (fetched once, checked against the stamp). Null when the copy is gone or is not the one the
 * stamp names (being replaced): the day then reads NDJSON.
 */
export async function copyFile(lake: LakeStore, tenantId: string, date: string, stamp: ColumnarStamp, cacheDir: string): Promise<string | null> {
  const key = columnarKey(tenantId, date);
  if (lake.localPath) return (await fileExists(lake.localPath(key))) ? lake.localPath(key) : null;
  const path = join(cacheDir, `${stamp.sha256}.parquet`);
  if (await fileExists(path)) {
    // Its time says when it was last used: the least recently used go first when the cache is full.
    await utimes(path, new Date(), new Date()).catch(() => undefined);
    return path;
  }
  const bytes = await throughPort(() => lake.get(key));
  if (!bytes || createHash('sha256').update(bytes).digest('hex') !== stamp.sha256) return null;
  await mkdir(cacheDir, { recursive: true });
  // Whole or absent: another question may look for the same name meanwhile.
  const temp = join(cacheDir, `.${randomUUID()}.tmp`);
  await writeFile(temp, bytes);
  await rename(temp, path);
  await pruneCache(cacheDir);
  return path;
}

/** A directory one question holds while it runs; `release` removes it. */
export interface QuestionDir {
  path: string;
  release(): Promise<void>;
}

/**
 * A directory of this question's own names for the copies it reads, removed after it: a replay,
 * rebuild or cache prune that deletes or replaces a copy while DuckDB reads it removes one name,
 * not the file the question holds. In the lake's columnar folder for a local lake (a hard link
 * needs the same file system; dot-names are not listed, so a replay does not delete them), else
 * in the download cache.
 */
export function pinDirectory(lake: LakeStore, cacheDir: string): Promise<QuestionDir> {
  return questionDirectory(lake.localPath ? join(lake.localPath('columnar'), '.readers') : cacheDir);
}

/** A question not released this long after its directory was last touched is gone (its process was killed). */
export const STALE_QUESTION_MS = 3_600_000;
/** How often a running question touches its directory: far inside STALE_QUESTION_MS. */
export const QUESTION_HEARTBEAT_MS = STALE_QUESTION_MS / 6;

/**
 * A fresh `q-*` directory under `root` for one question (its pins, or a remote lake's downloads),
 * after removing those a killed process left behind: the ones untouched for STALE_QUESTION_MS.
 * Several processes share `root` (API workers, the batch CLI, a replay), so a question shows it
 * is alive by the directory's time, which it refreshes while it runs however long it takes;
 * another process's cleanup never takes the links from under a question in flight.
 */
export async function questionDirectory(root: string): Promise<QuestionDir> {
  await mkdir(root, { recursive: true });
  await removeStaleQuestions(root);
  const path = await mkdtemp(join(root, 'q-'));
  const heartbeat = setInterval(() => void utimes(path, new Date(), new Date()).catch(() => undefined), QUESTION_HEARTBEAT_MS);
  heartbeat.unref();
  return {
    path,
    release: async () => {
      clearInterval(heartbeat);
      await rm(path, { recursive: true, force: true });
    },
  };
}

async function removeStaleQuestions(root: string): Promise<void> {
  const now = Date.now();
  // Only question directories: the download cache beside them keeps its copies by their own rules.
  for (const name of (await readdir(root).catch(() => [])).filter((n) => n.startsWith('q-'))) {
    const at = (await stat(join(root, name)).catch(() => null))?.mtimeMs;
    if (at !== undefined && now - at > STALE_QUESTION_MS) await rm(join(root, name), { recursive: true, force: true });
  }
}

/**
 * A second name for the copy at `path` in `pins` (a hard link: the same bytes, no copying), so
 * the question reads the file as it was when pinned whatever happens to `path` meanwhile. Null
 * when `path` is already gone: the day then reads NDJSON.
 */
export async function pinCopy(path: string, pins: string, name: string): Promise<string | null> {
  const pinned = join(pins, `${name}.parquet`);
  try {
    await link(path, pinned);
    return pinned;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** A copy a question reads is at most a day's events of one tenant; this many cover 93 days of a few dozen tenants. */
const MAX_CACHED_COPIES = 2000;

/** Deletes the least recently used copies past MAX_CACHED_COPIES; a question reading one deleted meanwhile fetches it again next time. */
async function pruneCache(cacheDir: string): Promise<void> {
  const names = (await readdir(cacheDir)).filter((n) => n.endsWith('.parquet'));
  if (names.length <= MAX_CACHED_COPIES) return;
  const used = await Promise.all(names.map(async (n) => ({ n, at: (await stat(join(cacheDir, n)).catch(() => null))?.mtimeMs ?? 0 })));
  used.sort((a, b) => a.at - b.at);
  for (const { n } of used.slice(0, names.length - MAX_CACHED_COPIES)) await rm(join(cacheDir, n), { force: true });
}

/** The raw objects as local files: in place in a local lake, else fetched into `dir` under their keys. */
export async function rawFiles(lake: LakeStore, keys: readonly string[], dir: string | null): Promise<string[]> {
  if (lake.localPath) return keys.map((k) => lake.localPath!(k));
  if (dir === null) throw new Error('A store without local paths needs a download directory');
  return mapLimited(keys, async (key) => {
    const bytes = await throughPort(() => lake.get(key));
    if (!bytes) throw new RawStoreUnavailableError(new Error(`raw object ${key} vanished after listing`));
    const path = join(dir, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    return path;
  });
}

/** Where copies from a remote lake are cached: shared by the processes of one machine (names are digests). */
export const defaultCacheDir = () => join(tmpdir(), 'analytics-raw-copies');

async function throughPort<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw error instanceof RawStoreUnavailableError ? error : new RawStoreUnavailableError(error);
  }
}

async function mapLimited<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}

export const fileExists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
