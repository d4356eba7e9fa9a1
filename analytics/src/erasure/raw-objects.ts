import { RAW_PREFIX } from '../archive/index.ts';
import type { ObjectStore } from '../storage/index.ts';

/** The raw objects of one tenant (every `.ndjson` under its folder, as the batch job reads them), in key order. */
export async function rawObjectKeysOf(store: ObjectStore, tenantId: string): Promise<string[]> {
  const keys = await store.list(`${RAW_PREFIX}tenant=${encodeURIComponent(tenantId)}/`);
  return keys.filter((k) => k.endsWith('.ndjson'));
}

/** The UTC date folder of a raw key (`.../date=YYYY-MM-DD/...`), or null. */
export function rawKeyDate(key: string): string | null {
  return /\/date=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1] ?? null;
}

/**
 * Runs `work` over `items` with at most `concurrency` at a time; the first failure rejects (after
 * the running ones end). An aborted `signal` stops it the same way, between items.
 */
export async function forEachLimited<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let index = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && index < items.length) {
      if (signal?.aborted) {
        failure ??= { error: signal.reason };
        break;
      }
      const item = items[index++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (failure) throw failure.error;
}

/** Each line of an NDJSON body without its "\n", as byte ranges: [start, end) and the end of the line including "\n". */
export function* lineRanges(body: Uint8Array): Generator<{ start: number; end: number; next: number }> {
  let start = 0;
  while (start < body.length) {
    const newline = body.indexOf(10, start);
    const end = newline === -1 ? body.length : newline;
    const next = newline === -1 ? body.length : newline + 1;
    yield { start, end, next };
    start = next;
  }
}
