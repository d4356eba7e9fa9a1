import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { CategoryNode } from '../data/categories.ts';
import type { ProductSummary } from '../data/products.ts';
import { productGrid, productImage } from '../components/product-card.ts';

export function homePage(view: View, featured: ProductSummary[], tree: CategoryNode[]): Page {
  const hero = featured[0];
  return {
    title: view.shopName,
    description: `${view.shopName}: clothing, footwear, home and outdoor goods made to last. Free returns, fast delivery across Europe.`,
    canonical: '/',
    jsonLd: { '@context': 'https://schema.org', '@type': 'WebSite', name: view.shopName, url: `${view.origin}/`, potentialAction: { '@type': 'SearchAction', target: `${view.origin}/search?q={q}`, 'query-input': 'required name=q' } },
    body: html`<section class="hero">
  <div class="hero-text">
    <p class="eyebrow">New season</p>
    <h1>Good things for every day</h1>
    <p>Clothing, footwear and goods for home and trail, built to last and priced fairly.</p>
    <a class="button" href="/c/${tree[0]?.slug ?? ''}">Shop ${tree[0]?.name ?? 'now'}</a>
  </div>
  ${hero ? html`<img class="hero-art" src="${productImage(hero.slug)}" alt="" width="360" height="360" fetchpriority="high">` : ''}
</section>
<section aria-labelledby="cats">
  <h2 id="cats">Shop by category</h2>
  <ul class="category-tiles">${tree.map(
    (c) => html`<li><a href="/c/${c.slug}"><span class="tile-name">${c.name}</span><span class="tile-sub">${c.children.map((s) => s.name).join(' · ')}</span></a></li>`,
  )}</ul>
</section>
<section aria-labelledby="featured">
  <h2 id="featured">New arrivals</h2>
  ${productGrid(featured, view.locale, 4)}
</section>`,
  };
}
