import { describe, expect, it } from 'vitest';
import { formatOptions, formatPrice, parseOptions, parsePrice, parseWhole } from './variant-form.ts';

describe('variant form values', () => {
  it('reads prices in major units, with a dot or a comma, into minor units', () => {
    expect(parsePrice('12.5')).toBe(1250);
    expect(parsePrice('0,99')).toBe(99);
    expect(parsePrice('19.999')).toBeNull();
    expect(parsePrice('-1')).toBeNull();
    expect(parsePrice('abc')).toBeNull();
    expect(formatPrice(1250)).toBe('12.50');
  });

  it('reads options as name=value pairs and writes them back the same way', () => {
    expect(parseOptions('Size=M, colour=Deep Blue')).toEqual({ size: 'M', colour: 'Deep Blue' });
    expect(parseOptions('')).toEqual({});
    expect(parseOptions('size')).toBeNull();
    expect(formatOptions({ size: 'M', colour: 'Blue' })).toBe('size=M, colour=Blue');
  });

  it('reads whole numbers only', () => {
    expect(parseWhole('-3')).toBe(-3);
    expect(parseWhole('2.5')).toBeNull();
  });
});
