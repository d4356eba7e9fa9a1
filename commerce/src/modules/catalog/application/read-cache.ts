/**
 * A read-through cache of shopper reads (listing pages, product details, the cart's variant
 * snapshots) in this process. Every catalog write (name, price, publication, category, variant,
 * stock adjustment) clears it, here at once and in other instances through a NOTIFY at commit, and
 * so does every change of a variant's stock state (in stock or not; units left once 5 or fewer),
 * whoever made it: a database trigger announces it at commit. Other stock moves do not: entries
 * that show units left (`available`) are kept for `ttlMs`; entries that show at most whether a
 * product is in stock (listings, facets) for `maxAgeMs`, a bound for what no notice covers
 * (regional rates, a lagging standby).
 * Concurrent misses of one key share one load; a load that started before a clear is not kept.
 */
export interface ReadCache {
  /** `shows`: what of stock the value depends on; counts (the default) expire after the short TTL. */
  get<T>(key: string, load: () => Promise<T>, shows?: StockShown): Promise<T>;
  clear(): void;
}

/** `state`: in stock or not, kept until a notice; `counts`: units left, which orders move without one above 5. */
export type StockShown = 'state' | 'counts';

export function createReadCache(options: { ttlMs: number; maxAgeMs?: number; maxEntries?: number; now?: () => number }): ReadCache {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 2_000;
  const lifetime: Record<StockShown, number> = { counts: options.ttlMs, state: Math.max(options.maxAgeMs ?? options.ttlMs, options.ttlMs) };
  let generation = 0;
  const entries = new Map<string, { value: Promise<unknown>; expires: number }>();

  return {
    get<T>(key: string, load: () => Promise<T>, shows: StockShown = 'counts'): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.value as Promise<T>;
      if (entries.size >= maxEntries) entries.clear(); // crude bound: query strings are shopper input
      const started = generation;
      const value = load();
      entries.set(key, { value, expires: now() + lifetime[shows] });
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

/** `first` for reads, and every cache cleared by one `clear`: caches of different bounds that writes and notices empty alike. */
export function clearedTogether(first: ReadCache, ...others: ReadCache[]): ReadCache {
  return {
    get: (key, load, shows) => first.get(key, load, shows),
    clear() {
      first.clear();
      for (const other of others) other.clear();
    },
  };
}
