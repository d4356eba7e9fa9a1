import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.ts';

describe('LruCache', () => {
  it('forgets the least recently used entry first, counting reads as use', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);
    cache.set('d', 4);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
    expect(cache.size).toBe(3);
  });

  it('keeps a key used again and again as the most recent, and then the one used before it', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('b');
    cache.get('b');
    cache.set('c', 3);
    cache.get('a');
    cache.get('a');
    cache.set('d', 4);
    expect([cache.get('b'), cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([undefined, 1, 3, 4]);
  });

  it('moves a key read again after another was set', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.get('a');
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('replaces a value in place without evicting another', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.set('a', 10)).toBe(10);
    expect([cache.get('a'), cache.get('b'), cache.size]).toEqual([10, 2, 2]);
  });
});
