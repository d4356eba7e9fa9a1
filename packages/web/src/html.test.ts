import { describe, expect, it } from 'vitest';
import { html, jsonScript, raw } from './html.ts';

describe('html templates', () => {
  it('escapes interpolated text and keeps nested templates and raw markup', () => {
    const name = '<script>alert("x")</script> & co';
    const out = html`<ul>${[html`<li>${name}</li>`, null, false, 3]}</ul>${raw('<svg></svg>')}`;
    expect(out.value).toBe('<ul><li>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</li>3</ul><svg></svg>');
  });

  it('keeps JSON-LD from closing its script element', () => {
    expect(jsonScript({ name: '</script><b>' }).value).toBe('{"name":"\\u003c/script>\\u003cb>"}');
  });
});
