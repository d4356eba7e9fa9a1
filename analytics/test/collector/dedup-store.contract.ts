import { describe, expect, it } from 'vitest';
import type { DedupStore } from '../../src/collector/dedup-store.ts';

/**
 * The one contract both dedup adapters honour. `advance` moves the store's clock: the
 * in-process store takes an injected clock, Redis is given a real (short) wait.
 */
export function dedupStoreContract(
  name: string,
  make: () => Promise<{ store: DedupStore; advance: (ms: number) => Promise<void> }>,
  options: { skip?: boolean } = {},
) {
  describe.skipIf(options.skip ?? false)(`DedupStore contract: ${name}`, () => {
    it('claims an unseen id once; a second claim sees it pending, then committed', async () => {
      const { store } = await make();
      expect(await store.claim('t', ['m1', 'm2'], 60_000)).toEqual(['new', 'new']);
      expect(await store.claim('t', ['m1'], 60_000)).toEqual(['pending']);
      await store.commit('t', ['m1'], 60_000);
      expect(await store.claim('t', ['m1', 'm2', 'm3'], 60_000)).toEqual(['committed', 'pending', 'new']);
      await store.close();
    });

    it('keeps tenants apart: the same messageId is new for each tenant', async () => {
      const { store } = await make();
      expect(await store.claim('a', ['same'], 60_000)).toEqual(['new']);
      await store.commit('a', ['same'], 60_000);
      expect(await store.claim('b', ['same'], 60_000)).toEqual(['new']);
      await store.close();
    });

    it('release forgets pending claims (a retry after a log failure is accepted) but never committed ones', async () => {
      const { store } = await make();
      await store.claim('t', ['failed', 'done'], 60_000);
      await store.commit('t', ['done'], 60_000);
      await store.release('t', ['failed', 'done']);
      expect(await store.claim('t', ['failed', 'done'], 60_000)).toEqual(['new', 'committed']);
      await store.close();
    });

    it('lets a pending claim lapse after its ttl (a crash between claim and append loses nothing)', async () => {
      const { store, advance } = await make();
      await store.claim('t', ['crashed'], 300);
      await advance(600);
      expect(await store.claim('t', ['crashed'], 300)).toEqual(['new']);
      await store.close();
    });

    it('forgets committed ids after the window', async () => {
      const { store, advance } = await make();
      await store.claim('t', ['old'], 60_000);
      await store.commit('t', ['old'], 300);
      await advance(600);
      expect(await store.claim('t', ['old'], 60_000)).toEqual(['new']);
      await store.close();
    });

    it('gives "new" to exactly one of many concurrent claims of one id', async () => {
      const { store } = await make();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claim('t', ['race'], 60_000)));
      expect(results.flat().filter((s) => s === 'new')).toHaveLength(1);
      await store.close();
    });

    it('reports an id repeated within one call as new then pending', async () => {
      const { store } = await make();
      expect(await store.claim('t', ['x', 'x'], 60_000)).toEqual(['new', 'pending']);
      expect(await store.claim('t', [], 60_000)).toEqual([]);
      await store.commit('t', [], 60_000);
      await store.release('t', []);
      await store.close();
    });
  });
}
