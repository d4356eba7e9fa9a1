import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TopKSummary } from '../../src/sketches/top-k.ts';

const summaryOf = (items: string[], capacity = 100) => items.reduce((s, i) => s.add(i), new TopKSummary(capacity));

describe('TopKSummary', () => {
  it('ranks by count, ties by item', () => {
    const s = summaryOf(['/b', '/a', '/b', '/c', '/a', '/b']);
    expect(s.top(2)).toEqual([
      { item: '/b', count: 3 },
      { item: '/a', count: 2 },
    ]);
  });

  it('merging buckets gives the same ranking as counting them together, in any grouping', () => {
    const items = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 50 });
    fc.assert(
      fc.property(items, items, items, (a, b, c) => {
        const merged = new TopKSummary(100).merge(summaryOf(c)).merge(new TopKSummary(100).merge(summaryOf(b)).merge(summaryOf(a)));
        expect(merged.top(5)).toEqual(summaryOf([...a, ...b, ...c]).top(5));
      }),
    );
  });

  it('beyond its capacity keeps the heaviest items and accounts for the rest in `other`', () => {
    const s = new TopKSummary(3);
    for (let i = 0; i < 50; i++) s.add(`rare-${i}`);
    s.add('hot', 100);
    s.merge(summaryOf(['warm', 'warm', 'warm'], 3));
    expect(s.top(2)).toEqual([
      { item: 'hot', count: 100 },
      { item: 'warm', count: 3 },
    ]);
    expect(s.counts.size).toBeLessThanOrEqual(3);
    expect(s.total()).toBe(153);
  });
});
