/**
 * Catalog answers are the same for every shopper, so the storefront keeps them briefly:
 * fresh for `freshMs`, then served while one background call refreshes them (stale while
 * revalidate), never older than `maxStaleMs`. Concurrent misses for one key share one call.
 * Carts, orders and accounts never come through here. With `jitter`, each entry stays fresh for
 * a random time between `freshMs` and `freshMs * (1 + jitter)`: entries loaded together (a
 * restart, a burst of traffic) then do not all go back to the API in the same moment.
 */
export class CatalogCache<T> {
  private readonly entries = new Map<string, { value: T; at: number; freshMs: number }>();
  private readonly pending = new Map<string, Promise<T>>();

  constructor(
    private readonly options: { freshMs: number; maxStaleMs: number; maxEntries: number; jitter?: number; now?: () => number; random?: () => number },
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < hit.freshMs) return hit.value;
    if (hit && now - hit.at < this.options.maxStaleMs) {
      void this.refresh(key, load).catch(() => undefined);
      return hit.value;
    }
    return this.refresh(key, load);
  }

  private refresh(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.pending.get(key);
    if (running) return running;
    const call = load()
      .then((value) => {
        this.entries.delete(key);
        const freshMs = this.options.freshMs * (1 + (this.options.jitter ?? 0) * (this.options.random ?? Math.random)());
        this.entries.set(key, { value, at: (this.options.now ?? Date.now)(), freshMs });
        if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        return value;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, call);
    return call;
  }
}
