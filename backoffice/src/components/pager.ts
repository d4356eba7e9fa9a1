import { html, type Html } from '@shop/web';

/**
 * Keyset pagination: "Next page" carries the API's cursor with the current filters; "First page"
 * drops it. There is no page count: the tables hold thousands of rows and counting them would cost
 * what the keyset saves.
 */
export function pager(path: string, filters: Record<string, string | undefined>, nextCursor: string | null | undefined, onLaterPage: boolean): Html {
  const query = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
    const text = params.toString();
    return text ? `${path}?${text}` : path;
  };
  if (!nextCursor && !onLaterPage) return html``;
  return html`<nav class="pager" aria-label="Pages">
  <span>${onLaterPage ? html`<a class="button" href="${query({})}">← First page</a>` : ''}</span>
  <span>${nextCursor ? html`<a class="button" href="${query({ cursor: nextCursor })}" rel="next">Next page →</a>` : html`<span class="muted">End of the list</span>`}</span>
</nav>`;
}
