import { describe, expect, it } from 'vitest';
import { groupOptionTerms, OPTION_TERM } from './option-filter.ts';

describe('option filter terms', () => {
  it('groups values by option name, keeping the first colon as the separator and dropping repeats', () => {
    expect(groupOptionTerms(['size:M', 'colour:Navy Blue', 'size:L', 'size:M', 'ratio:16:9'])).toEqual({
      size: ['M', 'L'],
      colour: ['Navy Blue'],
      ratio: ['16:9'],
    });
    expect(groupOptionTerms([])).toEqual({});
  });

  it('accepts a lower-case option name and a non-empty value, nothing else', () => {
    for (const good of ['size:M', 'shoe_size:42', 'colour:Forest green']) expect(OPTION_TERM.test(good)).toBe(true);
    for (const bad of ['M', 'size:', ':M', 'Size:M', '1size:M', `size:${'x'.repeat(65)}`, 'size:a\u0000b']) expect(OPTION_TERM.test(bad)).toBe(false);
  });
});
