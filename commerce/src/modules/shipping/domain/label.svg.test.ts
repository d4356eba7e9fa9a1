import { describe, expect, it } from 'vitest';
import { renderLabel } from './label.svg.ts';

describe('renderLabel', () => {
  it('escapes what it prints: a label is a document an admin opens', () => {
    const svg = renderLabel({ carrier: 'post', optionId: '<script>', orderNumber: 'SO-1 & co', trackingNumber: 'TRK"1', createdAt: '2026-12-07T00:00:00Z' });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('SO-1 &amp; co');
    expect(svg).toContain('TRK&quot;1');
    expect(svg.match(/<rect /g)).toHaveLength(1 + 'TRK"1'.length);
  });
});
