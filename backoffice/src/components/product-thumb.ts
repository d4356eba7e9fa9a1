import { html, type Html } from '@shop/web';

/** The product's first image when it is one the shop stores (same origin); a neutral tile otherwise. */
export function productThumb(url: string | null | undefined, alt = ''): Html {
  return url && url.startsWith('/api/')
    ? html`<img class="thumb" src="${url}" alt="${alt}" width="40" height="40" loading="lazy">`
    : html`<span class="thumb" aria-hidden="true"></span>`;
}
