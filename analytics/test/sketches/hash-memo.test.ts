import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashMemo } from '../../src/sketches/hash-memo.ts';
import { hash64 } from '../../src/sketches/hash64.ts';

describe('HashMemo', () => {
  it('answers hash64 of every value, whatever was asked before and however often the generations turned over', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 300 }), fc.integer({ min: 1, max: 8 }), (values, capacity) => {
        const memo = new HashMemo(capacity);
        for (const value of values) expect(memo.hash(value)).toBe(hash64(value));
      }),
    );
  });

  it('keeps values from the generation before, so an alternating pair larger than one generation still hits', () => {
    const memo = new HashMemo(2);
    for (const value of ['a', 'b', 'c']) memo.hash(value);
    // 'a' and 'b' moved to the previous generation when 'c' started a new one; asking again must not change them.
    expect([memo.hash('a'), memo.hash('b'), memo.hash('c')]).toEqual(['a', 'b', 'c'].map(hash64));
  });
});
