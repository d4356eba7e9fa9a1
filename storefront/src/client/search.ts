import { esc, money, shop } from './api.ts';

/** Results as you type, in a listbox under the search field (the form still submits to /search). */
export function searchAsYouType() {
  const form = document.querySelector<HTMLFormElement>('[data-island="search"]');
  const input = form?.querySelector<HTMLInputElement>('input[name=q]');
  const list = form?.querySelector<HTMLUListElement>('#search-results');
  if (!form || !input || !list) return;
  const cache = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let active = -1;
  let latest = '';

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const show = (markup: string) => {
    list.innerHTML = markup;
    list.hidden = markup === '';
    input.setAttribute('aria-expanded', String(markup !== ''));
    active = -1;
  };
  const options = () => [...list.querySelectorAll<HTMLElement>('[role=option]')];
  const highlight = (i: number) => {
    const all = options();
    if (all.length === 0) return;
    active = (i + all.length) % all.length;
    all.forEach((o, n) => o.setAttribute('aria-selected', String(n === active)));
    input.setAttribute('aria-activedescendant', all[active]!.id);
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    latest = q;
    if (q.length < 2) return close();
    if (cache.has(q)) return show(cache.get(q)!);
    timer = setTimeout(async () => {
      const { data } = await shop.GET('/api/products', { params: { query: { q, limit: 6 } } });
      if (!data) return;
      const markup =
        data.items.length === 0
          ? `<li class="no-results" role="presentation">No products match “${esc(q)}”</li>`
          : data.items
              .map(
                (p, i) =>
                  `<li role="option" id="sr-${i}" aria-selected="false"><a href="/p/${esc(p.slug)}" tabindex="-1"><img src="/img/p/${esc(p.slug)}.svg" alt="" width="40" height="40"><span>${esc(p.name)}</span><span class="price">${
                    p.priceMinor !== null && p.currency ? money(p.priceMinor, p.currency) : ''
                  }</span></a></li>`,
              )
              .join('') + `<li role="presentation" class="all-results"><a href="/search?q=${encodeURIComponent(q)}" tabindex="-1">All results for “${esc(q)}”</a></li>`;
      cache.set(q, markup);
      if (latest === q) show(markup);
    }, 120);
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      highlight(active + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      highlight(active - 1);
    } else if (e.key === 'Escape') {
      close();
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      options()[active]?.querySelector('a')?.click();
    }
  });
  document.addEventListener('click', (e) => {
    if (!form.contains(e.target as Node)) close();
  });
}
