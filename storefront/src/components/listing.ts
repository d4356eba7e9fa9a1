import { html, type Html } from '@shop/web';
import type { ProductPage, ProductQuery } from '../data/products.ts';
import { MAX_OPTION_TERMS, OPTION_TERM, optionFacets } from './option-facets.ts';
import { categoryFacets } from './category-facets.ts';
import { productGrid } from './product-card.ts';

const SORTS = [
  ['newest', 'Newest'],
  ['price_asc', 'Price: low to high'],
  ['price_desc', 'Price: high to low'],
  ['name', 'Name'],
] as const;

/** The shareable state of a listing: everything is in the query string. */
export interface ListingState {
  q?: string;
  /** A category slug picked among a search's category facets (a category page has its own in the path). */
  category?: string;
  sort?: string;
  min?: string;
  max?: string;
  instock?: string;
  /** Variant option terms, `size:M`, repeated in the URL as `option=`. */
  option?: string[];
  cursor?: string;
}

/** The option terms of a query string value (one or repeated); malformed ones are left out. */
export function optionTerms(value: unknown): string[] | undefined {
  const all = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && OPTION_TERM.test(v));
  const terms = [...new Set(all)].slice(0, MAX_OPTION_TERMS);
  return terms.length ? terms : undefined;
}

const money = (value: string | undefined) => {
  if (!value || !/^\d{1,7}$/.test(value)) return undefined;
  return Number(value) * 100;
};

/** The API query a listing's URL stands for; unknown or malformed values are left out, not refused. */
export function toProductQuery(state: ListingState, base: Partial<ProductQuery>): ProductQuery {
  const sortOk = SORTS.some(([v]) => v === state.sort) || (state.sort === 'relevance' && state.q);
  return {
    ...base,
    limit: 24,
    ...(state.q ? { q: state.q.slice(0, 200) } : {}),
    ...(sortOk ? { sort: state.sort as ProductQuery['sort'] } : {}),
    ...(money(state.min) !== undefined ? { minPrice: money(state.min) } : {}),
    ...(money(state.max) !== undefined ? { maxPrice: money(state.max) } : {}),
    ...(state.instock === '1' ? { inStock: 'true' } : {}),
    ...(state.option?.length ? { option: state.option } : {}),
    ...(state.cursor && /^[\w-]{1,1000}$/.test(state.cursor) ? { cursor: state.cursor } : {}),
  } as ProductQuery;
}

export function listingUrl(path: string, state: ListingState, change: Partial<ListingState>): string {
  const merged: Record<string, string | string[] | undefined> = { ...state, cursor: undefined, ...change };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(merged)) for (const one of [v ?? []].flat()) if (one) params.append(k, one);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** The filter form; `byCategory` adds the category facets (search results, which span categories). */
export function filters(path: string, state: ListingState, facets?: ProductPage['facets'], byCategory = false): Html {
  return html`<form class="filters" method="get" action="${path}" aria-label="Filter and sort">
  ${state.q ? html`<input type="hidden" name="q" value="${state.q}">` : ''}
  <div class="field">
    <label for="sort">Sort by</label>
    <select id="sort" name="sort" data-autosubmit>
      ${state.q ? html`<option value="relevance" ${!state.sort || state.sort === 'relevance' ? 'selected' : ''}>Relevance</option>` : ''}
      ${SORTS.map(([v, label]) => html`<option value="${v}" ${state.sort === v ? 'selected' : ''}>${label}</option>`)}
    </select>
  </div>
  <fieldset class="price-range">
    <legend>Price (€)</legend>
    <label for="min" class="visually-hidden">Minimum price</label>
    <input id="min" name="min" inputmode="numeric" pattern="[0-9]*" placeholder="Min" value="${state.min ?? ''}" size="5">
    <span aria-hidden="true">–</span>
    <label for="max" class="visually-hidden">Maximum price</label>
    <input id="max" name="max" inputmode="numeric" pattern="[0-9]*" placeholder="Max" value="${state.max ?? ''}" size="5">
  </fieldset>
  <div class="check"><input type="checkbox" id="instock" name="instock" value="1" ${state.instock === '1' ? 'checked' : ''} data-autosubmit><label for="instock">In stock only</label></div>
  ${byCategory ? categoryFacets(facets?.categories, state.category) : ''}
  ${optionFacets(facets?.options, state.option ?? [])}
  <button type="submit" class="button button-secondary">Apply</button>
</form>`;
}

export function listing(path: string, state: ListingState, page: ProductPage, locale: string): Html {
  if (page.items.length === 0) {
    return html`<p class="empty">No products match. <a href="${listingUrl(path, { q: state.q }, {})}">Clear the filters</a>.</p>`;
  }
  return html`${productGrid(page.items, locale, 4)}
<nav class="pager" aria-label="Pages">
  ${state.cursor ? html`<a class="button button-secondary" href="${listingUrl(path, state, {})}">First page</a>` : ''}
  ${page.nextCursor ? html`<a class="button" rel="next" href="${listingUrl(path, state, { cursor: page.nextCursor })}">Next page</a>` : ''}
</nav>`;
}
