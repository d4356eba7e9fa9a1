import { describe, expect, it } from 'vitest';
import { childPath, isSelfOrDescendant, SLUG_PATTERN } from './category-path.ts';

describe('category paths', () => {
  it('builds paths from the root and tells descendants from mere prefixes', () => {
    expect(childPath(null, 'men')).toBe('men');
    expect(childPath('men', 'shirts')).toBe('men/shirts');
    expect(isSelfOrDescendant('men', 'men')).toBe(true);
    expect(isSelfOrDescendant('men', 'men/shirts')).toBe(true);
    // "menswear" starts with "men" but is not below it.
    expect(isSelfOrDescendant('men', 'menswear')).toBe(false);
    expect(isSelfOrDescendant('men/shirts', 'men')).toBe(false);
  });

  it('accepts only slugs that are safe inside a path and a LIKE prefix', () => {
    for (const ok of ['a', 't-shirts', 'x1-2']) expect(SLUG_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', 'A', 'a/b', 'a_b', 'a%', '-a', 'a-', 'a--b', 'a b']) expect(SLUG_PATTERN.test(bad)).toBe(false);
  });
});
