import { describe, expect, it } from 'vitest';
import { pageUrlFacts } from './page-url.ts';
import { referrerSource } from './referrer-sources.ts';

describe('memoised URL facts', () => {
  it('reads the host and UTM parameters of a page URL, the same from the cache as the first time', () => {
    const url = 'https://Shop.Example/p?utm_source=%20newsletter%20&utm_medium=email&utm_campaign=';
    const first = pageUrlFacts(url);
    expect(first).toEqual({ hostname: 'shop.example', campaign: { utmSource: 'newsletter', utmMedium: 'email' } });
    expect(pageUrlFacts(url)).toEqual(first);
    expect(pageUrlFacts('not a url')).toBeUndefined();
    expect(pageUrlFacts('not a url')).toBeUndefined();
    expect(pageUrlFacts(42)).toBeUndefined();
  });

  it('groups a cached referrer against each page host it is compared with', () => {
    expect(referrerSource('https://shop.example/cart', 'shop.example')).toBe('Direct');
    expect(referrerSource('https://shop.example/cart', 'blog.example')).toBe('shop.example');
    expect(referrerSource('https://www.google.co.uk/search?q=x', 'shop.example')).toBe('Google');
    expect(referrerSource('https://www.google.co.uk/search?q=x', undefined)).toBe('Google');
    expect(referrerSource('::nonsense', 'shop.example')).toBe('Direct');
  });
});
