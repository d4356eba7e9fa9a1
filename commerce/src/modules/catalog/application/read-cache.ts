/**
 * A read-through cache of shopper reads (listing pages, product details) in this process.
 * Every catalog write (name, price, publication, category, variant, stock adjustment) clears it,
 * here at once and in other instances through a NOTIFY at commit; stock moved by orders does not,
 * so availability shown to shoppers may lag by up to `ttlMs` (checkout re-checks stock).
 * Concurrent misses of one key share one load; a load that started before a clear is not kept.
 */
export interface ReadCache {
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
  clear(): void;
}

export function createReadCache(options: { ttlMs: number; maxEntries?: number; now?: () => number }): ReadCache {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 2_000;
  let generation = 0;
  const entries = new Map<string, { value: Promise<unknown>; expires: number }>();

  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value as Promise<T>;
      if (entries.size >= maxEntries) entries.clear(); // crude bound: query strings are shopper input
      const started = generation;
      const value = load();
      entries.set(key, { value, expires: now() + options.ttlMs });
      value.then(
        () => {
          // Written meanwhile: the loaded value may predate the write.
          if (generation !== started && entries.get(key)?.value === value) entries.delete(key);
        },
        () => {
          if (entries.get(key)?.value === value) entries.delete(key);
        },
      );
      return value;
    },
    clear() {
      generation++;
      entries.clear();
    },
  };
}
