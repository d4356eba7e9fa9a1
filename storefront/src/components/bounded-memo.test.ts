import { describe, expect, it } from 'vitest';
import { BoundedMemo } from './bounded-memo.ts';

describe('a bounded memo', () => {
  it('computes once per key and forgets the oldest key past its bound', () => {
    let computed = 0;
    const memo = new BoundedMemo<string>(2);
    const get = (k: string) => memo.get(k, () => `${k}${++computed}`);
    expect([get('a'), get('a'), get('b')]).toEqual(['a1', 'a1', 'b2']);
    expect(get('c')).toBe('c3');
    expect(memo.size).toBe(2);
    expect(get('a')).toBe('a4'); // forgotten, computed again
    expect(get('c')).toBe('c3');
  });
});
