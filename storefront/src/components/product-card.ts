import { html, type Html } from '@shop/web';
import type { ProductSummary } from '../data/products.ts';
import { formatMoney } from './money.ts';

export const productImage = (slug: string, n = 0) => `/img/p/${slug}.svg${n ? `?view=${n}` : ''}`;

/** Images the merchant uploaded (served by the API through this origin's proxy); other URLs stay unused (the CSP is 'self'). */
export const uploadedImages = (urls: readonly (string | null | undefined)[]): string[] =>
  urls.filter((u): u is string => typeof u === 'string' && u.startsWith('/api/media/'));

export function productCard(p: ProductSummary, locale: string, eager = false): Html {
  const price = p.priceMinor !== null && p.currency ? formatMoney(p.priceMinor, p.currency, locale) : '';
  return html`<li class="card">
  <a href="/p/${p.slug}">
    <img src="${uploadedImages([p.imageUrl])[0] ?? productImage(p.slug)}" alt="" width="300" height="300" ${eager ? '' : html`loading="lazy"`} decoding="async">
    <span class="card-name">${p.name}</span>
    <span class="card-meta"><span class="price">${price}</span>${p.inStock ? '' : html`<span class="tag tag-muted">Sold out</span>`}</span>
  </a>
</li>`;
}

export function productGrid(items: ProductSummary[], locale: string, eagerCount = 0): Html {
  return html`<ul class="grid">${items.map((p, i) => productCard(p, locale, i < eagerCount))}</ul>`;
}
