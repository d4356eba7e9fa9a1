import { html, jsonScript, type Html } from '@shop/web';
import type { Page, View } from '../server/view.ts';

/**
 * The header's region (and so currency) selector: the same form and cookie as the cart's, back to
 * this page. The currency comes first in each option: a phone shows only the start of it. Without
 * JavaScript the button submits it.
 */
function headerRegionSelector(view: View): Html | '' {
  if (view.regions.length < 2) return '';
  return html`<form method="post" action="/region" class="header-region">
  <input type="hidden" name="_csrf" value="${view.csrf}">
  <input type="hidden" name="return" value="${view.url}">
  <label for="header-region">Prices in</label>
  <select id="header-region" name="region" data-autosubmit>${view.regions.map(
    (r) => html`<option value="${r.id}" ${r.id === view.region?.id ? 'selected' : ''}>${r.currency} · ${r.name}</option>`,
  )}</select>
  <noscript><button class="button button-secondary button-small" type="submit">Set</button></noscript>
</form>`;
}

const LOGO = html`<svg width="28" height="28" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="currentColor"/><path d="M9 22V10l7 7 7-7v12" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
const CART_ICON = html`<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 7h12l-1.2 11.1a2 2 0 0 1-2 1.9H9.2a2 2 0 0 1-2-1.9z M9 7a3 3 0 0 1 6 0" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/></svg>`;
const USER_ICON = html`<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="8" r="4" fill="none" stroke="currentColor" stroke-width="1.8"/><path d="M4 20c1.5-4 4.5-6 8-6s6.5 2 8 6" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/></svg>`;

function header(view: View): Html {
  return html`<header class="site-header">
  <div class="bar">
    <a class="brand" href="/">${LOGO}<span>${view.shopName}</span></a>
    <form class="search" action="/search" method="get" role="search" data-island="search">
      <label class="visually-hidden" for="q">Search products</label>
      <input id="q" name="q" type="search" placeholder="Search products" autocomplete="off" maxlength="200"
        aria-autocomplete="list" aria-controls="search-results" aria-expanded="false" role="combobox">
      <button type="submit" class="search-go">Search</button>
      <ul id="search-results" class="search-results" role="listbox" aria-label="Suggestions" hidden></ul>
    </form>
    ${headerRegionSelector(view)}
    <nav class="tools" aria-label="Your shop">
      <a class="tool" href="/account">${USER_ICON}<span>${view.signedIn ? 'Account' : 'Sign in'}</span></a>
      <a class="tool cart-link" href="/cart" data-cart-open>${CART_ICON}<span>Cart</span><span class="badge" data-cart-count hidden></span></a>
    </nav>
  </div>
  <nav class="categories" aria-label="Categories">
    <ul>${view.nav.map((c) => html`<li><a href="/c/${c.slug}">${c.name}</a></li>`)}</ul>
  </nav>
</header>`;
}

function footer(view: View): Html {
  return html`<footer class="site-footer">
  <div class="cols">
    <div><strong>${view.shopName}</strong><p>Everyday goods, made to last. ${view.region && !view.region.taxInclusive ? 'Tax is added at checkout.' : 'Prices include VAT.'}</p></div>
    <div><h2>Shop</h2><ul>${view.nav.map((c) => html`<li><a href="/c/${c.slug}">${c.name}</a></li>`)}</ul></div>
    <div><h2>Help</h2><ul><li><a href="/cart">Your cart</a></li><li><a href="/account">Your account</a></li><li><a href="/account/orders">Your orders</a></li></ul></div>
  </div>
  <p class="fineprint">A demo shop: payments run in a sandbox and nothing is shipped.</p>
</footer>`;
}

/** The whole document: head facts for search engines and link previews, the shell, and the one script. */
export function layout(view: View, page: Page): string {
  const canonical = page.canonical ? `${view.origin}${page.canonical}` : undefined;
  const title = page.title === view.shopName ? page.title : `${page.title} · ${view.shopName}`;
  const ogImage = page.og?.image ? `${view.origin}${page.og.image}` : `${view.origin}/icons/icon-512.png`;
  return `<!doctype html>${html`<html lang="${view.locale.split('-')[0]}" data-locale="${view.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${page.description}">
${canonical ? html`<link rel="canonical" href="${canonical}">` : ''}
${page.noindex ? html`<meta name="robots" content="noindex">` : ''}
<meta property="og:site_name" content="${view.shopName}">
<meta property="og:title" content="${page.title}">
<meta property="og:description" content="${page.description}">
<meta property="og:type" content="${page.og?.type ?? 'website'}">
${canonical ? html`<meta property="og:url" content="${canonical}">` : ''}
<meta property="og:image" content="${ogImage}">
<meta name="theme-color" content="#1f3a5f">
<link rel="manifest" href="/manifest.webmanifest">
<link rel="icon" href="/icons/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/icons/icon-192.png">
<link rel="stylesheet" href="${view.assets.css}">
<script type="module" src="${view.assets.js}"></script>
${page.jsonLd ? html`<script type="application/ld+json">${jsonScript(page.jsonLd)}</script>` : ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${header(view)}
<div class="net-status" data-net-status role="status" aria-live="polite" hidden></div>
<main id="main" tabindex="-1">${page.body}</main>
${footer(view)}
<div class="drawer-backdrop" data-drawer-backdrop hidden></div>
<aside class="drawer" id="cart-drawer" role="dialog" aria-modal="true" aria-labelledby="drawer-title" hidden>
  <div class="drawer-head"><h2 id="drawer-title">Your cart</h2><button type="button" class="icon-button" data-drawer-close aria-label="Close cart">✕</button></div>
  <div class="drawer-body" data-drawer-body><p>Loading…</p></div>
</aside>
</body>
</html>`.value}`;
}
