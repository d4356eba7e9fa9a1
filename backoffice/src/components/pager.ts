import { html, type Html } from '@shop/web';

/** "Newest" and "Older" links of a keyset-paginated list; `query` keeps the filters. */
export function pager(path: string, query: Record<string, string | undefined>, nextCursor: string | null, onFirstPage: boolean): Html {
  const link = (cursor?: string) => {
    const params = new URLSearchParams(Object.entries({ ...query, cursor }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    const qs = params.toString();
    return qs ? `${path}?${qs}` : path;
  };
  if (onFirstPage && !nextCursor) return html``;
  return html`<nav class="pager" aria-label="Pages">
  ${onFirstPage ? html`<span></span>` : html`<a class="button button-small" href="${link()}">← Newest</a>`}
  ${nextCursor ? html`<a class="button button-small" href="${link(nextCursor)}" rel="next">Older →</a>` : html`<span class="muted">End of the list</span>`}
</nav>`;
}
