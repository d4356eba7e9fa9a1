import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { ProductPage } from '../data/products.ts';
import { filters, listing, type ListingState } from '../components/listing.ts';

export function searchPage(view: View, state: ListingState, page: ProductPage | null): Page {
  return {
    title: state.q ? `Search: ${state.q}` : 'Search',
    description: `Search the ${view.shopName} catalogue.`,
    noindex: true,
    body: html`<h1>${state.q ? html`Results for “${state.q}”` : 'Search'}</h1>
${page
  ? html`<div class="listing">${filters('/search', state, page.facets)}<div class="results">${listing('/search', state, page, view.locale)}</div></div>`
  : html`<form action="/search" method="get" class="stack"><label for="q2">What are you looking for?</label><input id="q2" name="q" type="search" required maxlength="200"><button class="button" type="submit">Search</button></form>`}`,
  };
}
