import { html, type Html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { Cart, CartLine } from '../data/cart.ts';
import type { ShippingOption } from '../data/shipping.ts';
import { formatMoney } from '../components/money.ts';
import { productImage } from '../components/product-card.ts';
import { COUNTRIES } from '../components/countries.ts';
import { priceSummary } from '../components/price-summary.ts';
import type { Quote, Region } from '../data/pricing.ts';

export interface CartPricing {
  regions: Region[];
  region: Region | null;
  quote: Quote | null;
  /** The code the shopper entered, applied or not (the quote says which). */
  code: string | null;
}

/** The region (and so currency) selector: a plain form, stored in a cookie by POST /region. */
export function regionSelector(view: View, pricing: Pick<CartPricing, 'regions' | 'region'>): Html | '' {
  if (pricing.regions.length < 2) return '';
  return html`<form method="post" action="/region" class="region-form">
  <input type="hidden" name="_csrf" value="${view.csrf}">
  <label for="region">Region and currency</label>
  <div class="inline"><select id="region" name="region" data-autosubmit>${pricing.regions.map(
    (r) => html`<option value="${r.id}" ${r.id === pricing.region?.id ? 'selected' : ''}>${r.name} (${r.currency})</option>`,
  )}</select>
  <button class="button button-secondary button-small" type="submit">Change</button></div>
</form>`;
}

function promotionForm(view: View, pricing: CartPricing): Html {
  const status = pricing.quote?.promotionCode;
  return html`<form method="post" action="/cart/promotion" class="promo-form">
  <input type="hidden" name="_csrf" value="${view.csrf}">
  <label for="promotionCode">Discount code</label>
  <div class="inline"><input id="promotionCode" name="promotionCode" value="${pricing.code ?? ''}" maxlength="40" autocomplete="off" ${status && !status.applied ? html`aria-describedby="promo-status" aria-invalid="true"` : ''}>
  <button class="button button-secondary button-small" type="submit">Apply</button></div>
  ${status ? html`<p id="promo-status" class="${status.applied ? 'hint' : 'error'}" role="status">${status.applied ? `${status.code} applied.` : status.message}</p>` : ''}
</form>`;
}

export function lineIssue(line: CartLine, locale: string): Html | '' {
  if (line.unavailable) return html`<p class="issue" role="note">No longer available: remove it to check out.</p>`;
  if (line.insufficientStock) return html`<p class="issue" role="note">Only ${line.insufficientStock.available} left: the quantity will be lowered.</p>`;
  if (line.priceChanged) {
    return html`<p class="issue" role="note">Price changed from ${formatMoney(line.priceChanged.was, line.currency, locale)} to ${formatMoney(line.priceChanged.now, line.currency, locale)}.</p>`;
  }
  return '';
}

const slugOf = (line: CartLine) => line.productName.toLowerCase().replaceAll(' ', '-');

function lineRow(view: View, line: CartLine): Html {
  const opts = Object.entries(line.options).map(([k, v]) => `${k}: ${v}`).join(', ');
  return html`<li class="line ${line.unavailable || line.insufficientStock || line.priceChanged ? 'line-changed' : ''}" data-variant="${line.variantId}">
  <img src="${productImage(slugOf(line))}" alt="" width="88" height="88" loading="lazy">
  <div class="line-main">
    <p class="line-name">${line.productName}</p>
    <p class="line-opts">${opts}</p>
    ${lineIssue(line, view.locale)}
    <div class="line-actions">
      <form method="post" action="/cart/update" class="qty-form">
        <input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="variantId" value="${line.variantId}">
        <label for="q-${line.variantId}" class="visually-hidden">Quantity of ${line.productName}</label>
        <input id="q-${line.variantId}" class="qty" name="quantity" type="number" min="0" max="99" value="${line.quantity}" inputmode="numeric">
        <button class="button button-secondary button-small" type="submit">Update</button>
      </form>
      <form method="post" action="/cart/remove">
        <input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="variantId" value="${line.variantId}">
        <button class="link-button" type="submit" aria-label="Remove ${line.productName}">Remove</button>
      </form>
    </div>
  </div>
  <p class="line-total">${formatMoney(line.lineTotalMinor, line.currency, view.locale)}</p>
</li>`;
}

export function cartPage(view: View, cart: Cart, country: string, shipping: ShippingOption[], pricing: CartPricing): Page {
  const currency = cart.currency ?? 'EUR';
  const cheapest = shipping[0];
  return {
    title: 'Your cart',
    description: 'The products in your cart, with shipping estimates and checkout.',
    canonical: '/cart',
    body: html`<h1>Your cart</h1>
${cart.lines.length === 0
  ? html`<div class="empty"><p>Your cart is empty.</p><a class="button" href="/">Start shopping</a></div>`
  : html`<div class="cart-layout">
  <section aria-label="Products">
    ${cart.hasIssues
      ? html`<div class="alert alert-warn" role="alert"><p>Some items changed since you added them.</p>
          <form method="post" action="/cart/accept-changes"><input type="hidden" name="_csrf" value="${view.csrf}"><button class="button button-small" type="submit">Accept the changes</button></form></div>`
      : ''}
    <ul class="lines">${cart.lines.map((l) => lineRow(view, l))}</ul>
  </section>
  <aside class="summary" aria-label="Summary">
    <h2>Summary</h2>
    ${regionSelector(view, pricing)}
    ${pricing.quote
      ? priceSummary(pricing.quote, view.locale, { shipping: cheapest ? `Shipping (${cheapest.name})` : 'Shipping', shippingKnown: Boolean(cheapest) })
      : html`<dl class="totals"><div><dt>Subtotal (${cart.itemCount} ${cart.itemCount === 1 ? 'item' : 'items'})</dt><dd>${formatMoney(cart.subtotalMinor, currency, view.locale)}</dd></div>
    <div><dt>Shipping</dt><dd>${cheapest ? (cheapest.priceMinor === 0 ? 'Free' : html`from ${formatMoney(cheapest.priceMinor, cheapest.currency, view.locale)}`) : '—'}</dd></div></dl>`}
    ${promotionForm(view, pricing)}
    <form method="get" action="/cart" class="estimate">
      <label for="country">Shipping estimate to</label>
      <div class="inline"><select id="country" name="country" data-autosubmit>${COUNTRIES.map(([code, name]) => html`<option value="${code}" ${code === country ? 'selected' : ''}>${name}</option>`)}</select>
      <button class="button button-secondary button-small" type="submit">Estimate</button></div>
    </form>
    ${shipping.length ? html`<ul class="ship-options">${shipping.map((o) => html`<li><span>${o.name}${o.estimatedDays ? html` <small>${o.estimatedDays.min}–${o.estimatedDays.max} days</small>` : ''}</span><span>${o.priceMinor === 0 ? 'Free' : formatMoney(o.priceMinor, o.currency, view.locale)}</span></li>`)}</ul>` : html`<p class="hint">We do not ship there yet.</p>`}
    <a class="button button-wide ${cart.hasIssues ? 'button-disabled' : ''}" href="/checkout" ${cart.hasIssues ? html`aria-disabled="true"` : ''}>Checkout</a>
  </aside>
</div>`}`,
  };
}
