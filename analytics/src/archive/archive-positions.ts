import type { ObjectStore } from '../storage/index.ts';

/*
 * Where the archiver keeps its progress, next to the files in the same store:
 *   archive/positions/p<partition>.json  {"partition":p,"next":n}  written only after every object of a flush is durable
 *   archive/flushing/p<partition>.json   {"partition":p,"from":a,"to":b}  written before a flush's objects
 * The second makes a retried flush identical: after a crash between objects and position, the
 * restart cuts its first flush at `to` again instead of wherever the log has grown to since, so
 * it rewrites the same files rather than writing overlapping ones with other names.
 */
export const positionKey = (partition: number): string => `archive/positions/p${partition}.json`;
export const flushIntentKey = (partition: number): string => `archive/flushing/p${partition}.json`;

export class ArchivePositionCorruptError extends Error {
  constructor(key: string, detail: string) {
    super(`archive position ${key} is unreadable: ${detail}`);
    this.name = 'ArchivePositionCorruptError';
  }
}

const isOffset = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

async function readJson(store: ObjectStore, key: string): Promise<Record<string, unknown> | null> {
  const bytes = await store.get(key);
  if (bytes === null) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (typeof value === 'object' && value !== null) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ArchivePositionCorruptError(key, 'not a JSON object');
}

/** The stored next offset of `partition`, or null when it was never archived. */
export async function readPosition(store: ObjectStore, partition: number): Promise<number | null> {
  const key = positionKey(partition);
  const value = await readJson(store, key);
  if (value === null) return null;
  if (!isOffset(value.next)) throw new ArchivePositionCorruptError(key, '"next" is not an offset');
  return value.next;
}

export async function writePosition(store: ObjectStore, partition: number, next: number): Promise<void> {
  await store.put(positionKey(partition), JSON.stringify({ partition, next }));
}

/** The flush that was under way, when it starts where the stored position does; else null. */
export async function readFlushIntent(store: ObjectStore, partition: number, position: number): Promise<{ from: number; to: number } | null> {
  const key = flushIntentKey(partition);
  const value = await readJson(store, key);
  if (value === null) return null;
  if (!isOffset(value.from) || !isOffset(value.to) || value.to <= value.from) throw new ArchivePositionCorruptError(key, 'not a flush range');
  return value.from === position ? { from: value.from, to: value.to } : null;
}

export async function writeFlushIntent(store: ObjectStore, partition: number, from: number, to: number): Promise<void> {
  await store.put(flushIntentKey(partition), JSON.stringify({ partition, from, to }));
}
