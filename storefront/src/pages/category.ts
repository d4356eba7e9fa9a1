import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { CategoryNode } from '../data/categories.ts';
import type { ProductPage } from '../data/products.ts';
import { filters, listing, listingUrl, type ListingState } from '../components/listing.ts';

export function categoryPage(view: View, category: CategoryNode, parents: CategoryNode[], state: ListingState, page: ProductPage): Page {
  const path = `/c/${category.slug}`;
  const crumbs = [...parents, category];
  return {
    title: state.cursor ? `${category.name} (more)` : category.name,
    description: `Shop ${category.name.toLowerCase()} at ${view.shopName}${category.children.length ? `: ${category.children.map((c) => c.name.toLowerCase()).join(', ')}` : ''}.`,
    canonical: listingUrl(path, { sort: state.sort, cursor: state.cursor }, { cursor: state.cursor }),
    jsonLd: {
      '@context': 'https://schema.org',
      '@type': 'BreadcrumbList',
      itemListElement: crumbs.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.name, item: `${view.origin}/c/${c.slug}` })),
    },
    body: html`<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>${crumbs.map((c, i) =>
      i === crumbs.length - 1 ? html`<li aria-current="page">${c.name}</li>` : html`<li><a href="/c/${c.slug}">${c.name}</a></li>`,
    )}</ol></nav>
<h1>${category.name}</h1>
${category.children.length ? html`<ul class="chips">${category.children.map((c) => html`<li><a class="chip" href="/c/${c.slug}">${c.name}</a></li>`)}</ul>` : ''}
<div class="listing">
  ${filters(path, state, page.facets)}
  <div class="results">${listing(path, state, page, view.locale)}</div>
</div>`,
  };
}
