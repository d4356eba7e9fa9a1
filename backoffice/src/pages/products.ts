import { html } from '@shop/web';
import { money } from '../components/money.ts';
import { pager } from '../components/pager.ts';
import { productThumb } from '../components/product-thumb.ts';
import type { CategoryOption } from '../data/categories.ts';
import type { ProductSummary } from '../data/products.ts';
import type { Page } from '../server/view.ts';

export interface ProductListView {
  locale: string;
  items: ProductSummary[];
  nextCursor: string | null;
  filters: { q?: string | undefined; status?: string | undefined; category?: string | undefined; inStock?: string | undefined; cursor?: string | undefined };
  categories: CategoryOption[];
  /** Prices and the "New product" action are for roles that may change the catalog. */
  canWrite: boolean;
}

export function productsPage(v: ProductListView): Page {
  const f = v.filters;
  const categoryName = new Map(v.categories.map((c) => [c.id, c.label]));
  const filtered = Boolean(f.q || f.status || f.category || f.inStock);
  return {
    title: 'Products',
    body: html`<div class="page-head"><div><h1>Products</h1><p class="muted">Drafts and published products, newest first</p></div>
  ${v.canWrite ? html`<div class="actions"><a class="button button-primary" href="/products/new">New product</a></div>` : ''}</div>
<section class="card">
<form class="filters" method="get" action="/products" role="search" aria-label="Filter products">
  <label class="grow">Search<input type="search" name="q" value="${f.q ?? ''}" maxlength="200" placeholder="Name or description"></label>
  <label>Status<select name="status">
    <option value="">Any</option>
    ${(['published', 'draft'] as const).map((s) => html`<option value="${s}" ${f.status === s ? 'selected' : ''}>${s === 'published' ? 'Published' : 'Draft'}</option>`)}
  </select></label>
  <label>Category<select name="category">
    <option value="">Any</option>
    ${v.categories.map((c) => html`<option value="${c.slug}" ${f.category === c.slug ? 'selected' : ''}>${c.label}</option>`)}
  </select></label>
  <label>Stock<select name="inStock">
    <option value="">Any</option>
    <option value="true" ${f.inStock === 'true' ? 'selected' : ''}>In stock</option>
    <option value="false" ${f.inStock === 'false' ? 'selected' : ''}>Out of stock</option>
  </select></label>
  <button class="button" type="submit">Apply</button>
  ${filtered ? html`<a class="button button-quiet" href="/products">Clear</a>` : ''}
</form>
${
  v.items.length
    ? html`<div class="table-wrap"><table class="table">
  <caption class="visually-hidden">Products${filtered ? ' matching the filters' : ''}</caption>
  <thead><tr><th scope="col"><span class="visually-hidden">Image</span></th><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Category</th>
  ${v.canWrite ? html`<th scope="col" class="num">From</th>` : ''}<th scope="col">Stock</th><th scope="col">Created</th></tr></thead>
  <tbody>${v.items.map(
    (p) => html`<tr>
    <td>${productThumb(p.imageUrl)}</td>
    <td class="name"><a href="/products/${p.id}">${p.name}</a><br><code>${p.slug}</code></td>
    <td><span class="badge badge-${p.status}">${p.status === 'published' ? 'Published' : 'Draft'}</span></td>
    <td>${p.categoryId ? (categoryName.get(p.categoryId) ?? '—') : '—'}</td>
    ${v.canWrite ? html`<td class="num">${p.priceMinor === null || !p.currency ? '—' : money(p.priceMinor, p.currency, v.locale)}</td>` : ''}
    <td>${p.inStock ? html`<span class="badge badge-ok">In stock</span>` : html`<span class="badge badge-danger">Out of stock</span>`}</td>
    <td>${new Intl.DateTimeFormat(v.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(p.createdAt))}</td>
  </tr>`,
  )}</tbody></table></div>`
    : html`<p class="empty-note">No products${filtered ? ' match these filters' : ' yet'}.</p>`
}
${pager('/products', { q: f.q, status: f.status, category: f.category, inStock: f.inStock }, v.nextCursor, Boolean(f.cursor))}
</section>`,
  };
}
