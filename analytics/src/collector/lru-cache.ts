/**
 * A map of at most `limit` entries that forgets the least recently used one first. The
 * collector's inputs repeat (a site's visitors share a few hundred user agents, a visitor sends
 * many events from one address and page): the hot entries stay while a burst of new ones passes.
 * A Map keeps insertion order, so a hit is moved to the end and the first key is the oldest.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, V>();
  /** The key at the end of the order: the events of a batch mostly repeat it, and need no move. */
  #last: K | undefined;

  constructor(readonly limit: number) {}

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined && key !== this.#last) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
      this.#last = key;
    }
    return value;
  }

  set(key: K, value: V): V {
    this.#entries.delete(key);
    if (this.#entries.size >= this.limit) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
    this.#last = key;
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }
}
