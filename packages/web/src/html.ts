/**
 * Server-side HTML as tagged templates: every interpolated value is escaped unless it is
 * already `Html` (the result of another `html` template or of `raw`). Arrays are joined.
 * No virtual DOM, no build step: a page is a function from data to a string.
 *
 * @example
 * html`<p class="price">${formatted}</p>${items.map((i) => html`<li>${i.name}</li>`)}`
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Child = Html | string | number | boolean | null | undefined | readonly Child[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(child: Child): string {
  if (child === null || child === undefined || child === false || child === true) return '';
  if (child instanceof Html) return child.value;
  if (Array.isArray(child)) return child.map(render).join('');
  return escapeHtml(String(child));
}

export function html(strings: TemplateStringsArray, ...values: Child[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup (an SVG the server generated, JSON-LD already escaped). */
export const raw = (markup: string): Html => new Html(markup);

/** JSON for a `<script type="application/ld+json">` block: `<` escaped so no text can close the element. */
export const jsonScript = (value: unknown): Html => raw(JSON.stringify(value).replace(/</g, '\\u003c'));
