import { describe, expect, it } from 'vitest';
import type { OpenVisit } from '../../src/contracts/index.ts';
import { VISIT_ARRIVAL_GRACE_MS, VisitBook, type VisitsByTenant } from '../../src/speed/visit-book.ts';

const visit = (start: number): OpenVisit => ({ start, first: start, last: start, events: 1, entry: {} });
const staged = (entries: [tenantId: string, visitor: string, received: number][]): VisitsByTenant => {
  const out: VisitsByTenant = new Map();
  for (const [tenantId, visitor, received] of entries) {
    if (!out.has(tenantId)) out.set(tenantId, new Map());
    out.get(tenantId)!.set(visitor, { visit: visit(received), received });
  }
  return out;
};

describe('visit book', () => {
  it('keeps one visitor id of two tenants apart', () => {
    const book = new VisitBook();
    book.commit(staged([['a', 'v1', 1_000], ['b', 'v1', 2_000]]));
    expect(book.get('a', 'v1')?.received).toBe(1_000);
    expect(book.get('b', 'v1')?.received).toBe(2_000);
    expect(book.get('c', 'v1')).toBeUndefined();
    expect(book.size).toBe(2);
  });

  it('sweeps each tenant by its own timeout, only visits no later event could continue', () => {
    const minute = 60_000;
    const book = new VisitBook((tenantId) => (tenantId === 'short' ? minute : 60 * minute));
    book.commit(staged([['short', 'v', 0], ['long', 'v', 0]]));
    // Later than any margin for the short timeout, within it for the long one.
    const later = 40 * minute;
    book.commit(staged([['other', 'w', later]]));
    expect(VisitBook.usable(book.get('long', 'v'), later, 60 * minute)).toBeDefined();
    expect(book.get('short', 'v')).toBeUndefined();
    expect(book.get('long', 'v')).toBeDefined();
    expect(book.size).toBe(2);
    expect(VisitBook.usable({ visit: visit(0), received: 0 }, minute + VISIT_ARRIVAL_GRACE_MS + 1, minute)).toBeUndefined();
  });
});
