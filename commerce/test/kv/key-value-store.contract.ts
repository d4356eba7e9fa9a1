import { describe, expect, it } from 'vitest';
import type { KeyValueStore } from '../../src/shared/kv/key-value-store.ts';

/**
 * The one contract both cache adapters honour. `advance` moves the store's clock:
 * the memory store takes an injected clock, Redis is given a real wait.
 */
export function keyValueStoreContract(
  name: string,
  make: () => Promise<{ store: KeyValueStore; advance: (seconds: number) => Promise<void> }>,
  options: { skip?: boolean } = {},
) {
  describe.skipIf(options.skip ?? false)(`KeyValueStore contract: ${name}`, () => {
    it('stores, reads and deletes', async () => {
      const { store } = await make();
      expect(await store.get('a')).toBeNull();
      await store.set('a', 'one', 60);
      expect(await store.get('a')).toBe('one');
      await store.delete('a');
      expect(await store.get('a')).toBeNull();
      await store.close();
    });

    it('expires keys after their ttl', async () => {
      const { store, advance } = await make();
      await store.set('short', 'x', 1);
      expect(await store.ttl('short')).toBeGreaterThan(0);
      await advance(1.2);
      expect(await store.get('short')).toBeNull();
      expect(await store.ttl('short')).toBe(-2);
      await store.close();
    });

    it('compare-and-set stores only when the current value is the expected one', async () => {
      const { store } = await make();
      expect(await store.compareAndSet('k', null, 'v1', 60)).toBe(true);
      expect(await store.compareAndSet('k', null, 'v2', 60)).toBe(false);
      expect(await store.compareAndSet('k', 'stale', 'v2', 60)).toBe(false);
      expect(await store.compareAndSet('k', 'v1', 'v2', 60)).toBe(true);
      expect(await store.get('k')).toBe('v2');
      await store.close();
    });

    it('lets exactly one of many concurrent compare-and-sets win', async () => {
      const { store } = await make();
      await store.set('race', '0', 60);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.compareAndSet('race', '0', `w${i}`, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
      await store.close();
    });

    it('increments within a fixed window that starts at the first increment', async () => {
      const { store, advance } = await make();
      expect(await store.increment('n', 1)).toBe(1);
      expect(await store.increment('n', 1)).toBe(2);
      await advance(1.2);
      expect(await store.increment('n', 1)).toBe(1);
      await store.close();
    });
  });
}
