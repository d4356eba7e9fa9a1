/**
 * The cache port: Redis in production, an in-process store with the same semantics
 * (expiry included) by default. Kept to the few operations carts and rate limits need,
 * so both adapters can honour one contract suite exactly.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null>;
  /** Stores `value`, expiring after `ttlSeconds`. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /**
   * Optimistic concurrency: stores `value` only if the current value equals `expected`
   * (`null` meaning "absent"). Returns whether it stored. Read-modify-write loops use it
   * so two concurrent edits of one cart never lose an update.
   */
  compareAndSet(key: string, expected: string | null, value: string, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds 1 and returns the new count; the key's expiry is set when it is created (fixed window). */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Remaining seconds to live; -2 when the key does not exist. */
  ttl(key: string): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
