import { escapeHtml } from '@shop/platform/html';

/**
 * The page's own index.html, edited by element id: the server fills the same elements the page's
 * script fills, so the script finds its first paint where it would have put it. Only elements
 * that hold no element of their own tag are filled (spans, cells, table bodies, paragraphs).
 */
export class PageTemplate {
  constructor(private html: string) {}

  toString(): string {
    return this.html;
  }

  private openTag(id: string): { start: number; end: number; tag: string; text: string } {
    const at = this.html.indexOf(` id="${id}"`);
    if (at < 0) throw new Error(`dashboard page: no element #${id}`);
    const start = this.html.lastIndexOf('<', at);
    const end = this.html.indexOf('>', at) + 1;
    const text = this.html.slice(start, end);
    return { start, end, tag: /^<([a-z0-9]+)/.exec(text)![1]!, text };
  }

  /** Replaces the element's content with markup the caller built from escaped parts. */
  inner(id: string, markup: string): this {
    const { end, tag } = this.openTag(id);
    const close = this.html.indexOf(`</${tag}>`, end);
    this.html = this.html.slice(0, end) + markup + this.html.slice(close);
    return this;
  }

  text(id: string, text: string): this {
    return this.inner(id, escapeHtml(text));
  }

  /** Sets (a string), adds (true) or removes (false) one attribute of the element. */
  attr(id: string, name: string, value: string | boolean): this {
    const { start, end, text } = this.openTag(id);
    let tag = text.replace(new RegExp(` ${name}(="[^"]*")?(?=[ >/])`), '');
    if (value !== false) tag = tag.replace(/\s*>$/, value === true ? ` ${name}>` : ` ${name}="${escapeHtml(value)}">`);
    this.html = this.html.slice(0, start) + tag + this.html.slice(end);
    return this;
  }

  show(id: string, shown = true): this {
    return this.attr(id, 'hidden', !shown);
  }
}

export type Cell = string | { text: string; className?: string; href?: string; label?: string };

/** Table rows as the page's fillRows makes them: a row header, then cells; an empty table says so. */
export function rowsHtml(rows: Cell[][], emptyText: string, columns: number): string {
  if (rows.length === 0) return `<tr><td colspan="${columns}" class="empty">${escapeHtml(emptyText)}</td></tr>`;
  return rows
    .map((cells) => {
      const tds = cells.map((cell, i) => {
        const { text, className, href, label } = typeof cell === 'string' ? { text: cell } : cell;
        const tag = i === 0 ? 'th' : 'td';
        const attrs = `${i === 0 ? ' scope="row"' : ''}${className ? ` class="${escapeHtml(className)}"` : ''}`;
        const content = href ? `<a href="${escapeHtml(href)}"${label ? ` aria-label="${escapeHtml(label)}"` : ''}>${escapeHtml(text)}</a>` : escapeHtml(text);
        return `<${tag}${attrs}>${content}</${tag}>`;
      });
      return `<tr>${tds.join('')}</tr>`;
    })
    .join('');
}
