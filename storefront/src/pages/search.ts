import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { ProductPage } from '../data/products.ts';
import { filters, listing, listingUrl, type ListingState } from '../components/listing.ts';

/** The text typed found nothing; the results shown are for a corrected spelling, which can be searched by itself. */
function didYouMean(typed: string, corrected: string) {
  return html`<p class="did-you-mean">No results for “${typed}”. Showing results for <a href="${listingUrl('/search', {}, { q: corrected })}">“${corrected}”</a> instead.</p>`;
}

export function searchPage(view: View, state: ListingState, page: ProductPage | null): Page {
  return {
    title: state.q ? `Search: ${state.q}` : 'Search',
    description: `Search the ${view.shopName} catalogue.`,
    noindex: true,
    body: html`<h1>${state.q ? html`Results for “${page?.correctedQuery ?? state.q}”` : 'Search'}</h1>
${page?.correctedQuery ? didYouMean(state.q!, page.correctedQuery) : ''}
${page
  ? html`<div class="listing">${filters('/search', state, page.facets, true)}<div class="results">${listing('/search', state, page, view.locale)}</div></div>`
  : html`<form action="/search" method="get" class="stack"><label for="q2">What are you looking for?</label><input id="q2" name="q" type="search" required maxlength="200"><button class="button" type="submit">Search</button></form>`}`,
  };
}
