import { describe, expect, it } from 'vitest';
import { CatalogCache } from './catalog-cache.ts';

describe('the catalog cache', () => {
  it('answers fresh entries from memory, serves stale ones while refreshing once, and reloads expired ones', async () => {
    let now = 0;
    let calls = 0;
    const cache = new CatalogCache<number>({ freshMs: 1000, maxStaleMs: 10_000, maxEntries: 10, now: () => now });
    const load = async () => ++calls;
    expect(await cache.get('p', load)).toBe(1);
    now = 500;
    expect(await cache.get('p', load)).toBe(1);
    expect(calls).toBe(1);
    now = 2000; // stale: the old value at once, one refresh behind it
    expect(await Promise.all([cache.get('p', load), cache.get('p', load)])).toEqual([1, 1]);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(2);
    expect(await cache.get('p', load)).toBe(2);
    now = 20_000; // too old to serve: wait for the API
    expect(await cache.get('p', load)).toBe(3);
  });

  it('shares one call among concurrent misses and keeps at most maxEntries', async () => {
    let calls = 0;
    const cache = new CatalogCache<string>({ freshMs: 1000, maxStaleMs: 1000, maxEntries: 2 });
    const slow = (v: string) => () => new Promise<string>((r) => setTimeout(() => r(`${v}${++calls}`), 5));
    expect(await Promise.all([cache.get('a', slow('a')), cache.get('a', slow('a'))])).toEqual(['a1', 'a1']);
    await cache.get('b', slow('b'));
    await cache.get('c', slow('c'));
    expect(await cache.get('a', slow('a'))).toBe('a4'); // evicted, loaded again
  });

  it('spreads freshness between freshMs and freshMs * (1 + jitter), so entries loaded together expire apart', async () => {
    let now = 0;
    let calls = 0;
    const draws = [0, 1];
    const cache = new CatalogCache<number>({ freshMs: 1000, maxStaleMs: 10_000, maxEntries: 10, jitter: 0.5, now: () => now, random: () => draws.shift()! });
    const load = async () => ++calls;
    await cache.get('a', load); // fresh for 1000 ms
    await cache.get('b', load); // fresh for 1500 ms
    now = 1200;
    await cache.get('a', load);
    await cache.get('b', load);
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toBe(3); // only a was refreshed
  });

  it('does not keep a failed call', async () => {
    const cache = new CatalogCache<number>({ freshMs: 1000, maxStaleMs: 1000, maxEntries: 2 });
    await expect(cache.get('x', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('x', async () => 7)).toBe(7);
  });
});
