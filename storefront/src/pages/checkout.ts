import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { Cart } from '../data/cart.ts';
import type { ShippingOption } from '../data/shipping.ts';
import { COUNTRIES } from '../components/countries.ts';
import { field, formAlert, type FieldErrors } from '@shop/web';
import type { Quote } from '../data/pricing.ts';
import { formatMoney } from '../components/money.ts';

export interface CheckoutForm {
  email?: string;
  name?: string;
  line1?: string;
  line2?: string;
  city?: string;
  postalCode?: string;
  country?: string;
  region?: string;
  phone?: string;
  shippingOptionId?: string;
  card?: string;
}

export const CHECKOUT_LABELS: Record<string, string> = {
  email: 'Email',
  name: 'Full name',
  line1: 'Address',
  line2: 'Apartment, suite',
  city: 'City',
  postalCode: 'Postal code',
  country: 'Country',
  region: 'State or province',
  phone: 'Phone',
  shippingOptionId: 'Shipping',
  paymentMethod: 'Card number',
  card: 'Card number',
};

const TEST_CARDS = [
  ['4242 4242 4242 4242', 'succeeds'],
  ['4000 0000 0000 3220', 'asks for 3-D Secure'],
  ['4000 0000 0000 0002', 'is declined'],
  ['4000 0000 0000 9995', 'has insufficient funds'],
];

export function checkoutPage(
  view: View,
  input: {
    cart: Cart;
    form: CheckoutForm;
    errors: FieldErrors;
    alert?: string;
    shipping: ShippingOption[];
    idempotencyKey: string;
    signedInEmail: string | null;
    weightGrams: number;
    /** The checkout's price with the shopper's code, discounts and taxes; null when it could not be quoted. */
    quote: Quote | null;
    promotionCode: string | null;
  },
): Page {
  const { cart, form, errors, shipping, quote } = input;
  const currency = cart.currency ?? 'EUR';
  const chosen = shipping.find((o) => o.id === form.shippingOptionId) ?? shipping[0];
  const money = (minor: number) => formatMoney(minor, currency, view.locale);
  return {
    title: 'Checkout',
    description: 'Delivery, shipping and payment.',
    noindex: true,
    body: html`<h1>Checkout</h1>
<p class="net-needed" data-needs-network hidden>You are offline. Checking out needs the network: reconnect to place your order.</p>
${formAlert(input.alert)}
<form method="post" action="/checkout" class="checkout" data-island="checkout" data-promotion-code="${input.promotionCode ?? ''}" novalidate>
  <input type="hidden" name="_csrf" value="${view.csrf}">
  <input type="hidden" name="idempotencyKey" value="${input.idempotencyKey}">
  <div class="checkout-main">
    <section class="panel" aria-labelledby="h-contact">
      <h2 id="h-contact"><span class="step">1</span> Contact</h2>
      ${input.signedInEmail
        ? html`<p>Signed in as <strong>${input.signedInEmail}</strong>.</p>`
        : html`${field('email', 'Email', errors, { type: 'email', value: form.email, autocomplete: 'email', hint: 'Your receipt and order link go here.' })}
          <p class="hint">Have an account? <a href="/account/sign-in?next=/checkout">Sign in</a> for a faster checkout.</p>`}
    </section>
    <section class="panel" aria-labelledby="h-address">
      <h2 id="h-address"><span class="step">2</span> Delivery address</h2>
      ${field('name', 'Full name', errors, { value: form.name, autocomplete: 'name' })}
      ${field('line1', 'Address', errors, { value: form.line1, autocomplete: 'address-line1' })}
      ${field('line2', 'Apartment, suite', errors, { value: form.line2, autocomplete: 'address-line2', required: false })}
      <div class="row">
        ${field('postalCode', 'Postal code', errors, { value: form.postalCode, autocomplete: 'postal-code', maxlength: 20 })}
        ${field('city', 'City', errors, { value: form.city, autocomplete: 'address-level2', maxlength: 100 })}
      </div>
      ${field('region', 'State or province (US: two letters, for sales tax)', errors, { value: form.region, autocomplete: 'address-level1', maxlength: 3 })}
      <div class="field ${errors.country ? 'field-error' : ''}">
        <label for="f-country">Country</label>
        <select id="f-country" name="country" autocomplete="country" data-quote ${errors.country ? html`aria-invalid="true" aria-describedby="f-country-error"` : ''}>
          ${COUNTRIES.map(([code, name]) => html`<option value="${code}" ${code === (form.country ?? 'FR') ? 'selected' : ''}>${name}</option>`)}
        </select>
        ${errors.country ? html`<p class="error" id="f-country-error">${errors.country}</p>` : ''}
      </div>
      ${field('phone', 'Phone', errors, { type: 'tel', value: form.phone, autocomplete: 'tel', required: false, maxlength: 40 })}
    </section>
    <section class="panel" aria-labelledby="h-shipping">
      <h2 id="h-shipping"><span class="step">3</span> Shipping</h2>
      <fieldset class="options" data-shipping-options data-weight-grams="${input.weightGrams}">
        <legend class="visually-hidden">Shipping option</legend>
        ${shipping.map(
          (o) => html`<label class="option"><input type="radio" name="shippingOptionId" value="${o.id}" ${o === chosen ? 'checked' : ''} data-price-minor="${o.priceMinor}">
            <span class="option-name">${o.name}${o.estimatedDays ? html`<small>${o.estimatedDays.min}–${o.estimatedDays.max} working days</small>` : ''}</span>
            <span class="option-price">${o.priceMinor === 0 ? 'Free' : formatMoney(o.priceMinor, o.currency, view.locale)}</span></label>`,
        )}
      </fieldset>
      ${errors.shippingOptionId ? html`<p class="error">${errors.shippingOptionId}</p>` : ''}
    </section>
    <section class="panel" aria-labelledby="h-payment">
      <h2 id="h-payment"><span class="step">4</span> Payment</h2>
      ${field('card', 'Card number', errors, { value: form.card, autocomplete: 'cc-number', inputmode: 'numeric', maxlength: 23, hint: 'Sandbox: no real card is charged.' })}
      <details class="test-cards" open><summary>Test cards</summary><ul>${TEST_CARDS.map(([n, what]) => html`<li><code>${n}</code> ${what}</li>`)}</ul></details>
    </section>
  </div>
  <aside class="summary panel" aria-labelledby="h-review">
    <h2 id="h-review"><span class="step">5</span> Review</h2>
    <ul class="review-lines">${cart.lines.map((l) => html`<li><span>${l.quantity} × ${l.productName} <small>${Object.values(l.options).join(', ')}</small></span><span>${money(l.lineTotalMinor)}</span></li>`)}</ul>
    <dl class="totals">
      <div><dt>Subtotal</dt><dd>${money(cart.subtotalMinor)}</dd></div>
      ${(quote?.promotions ?? []).filter((p) => p.amountMinor > 0).map((p) => html`<div class="discount"><dt>${p.name}${p.code ? html` <small>(${p.code})</small>` : ''}</dt><dd>−${money(p.amountMinor)}</dd></div>`)}
      <div><dt>Shipping</dt><dd data-shipping-price>${chosen ? (chosen.priceMinor === 0 || (quote && quote.shippingDiscountMinor === quote.shippingMinor && quote.shippingMinor > 0) ? 'Free' : money(chosen.priceMinor)) : '—'}</dd></div>
      ${quote && (quote.taxMinor > 0 || quote.taxInclusive) ? html`<div class="tax"><dt>${quote.taxInclusive ? 'Tax included' : 'Tax'}</dt><dd data-tax>${money(quote.taxMinor)}</dd></div>` : ''}
      <div class="grand"><dt>Total</dt><dd data-total data-subtotal-minor="${cart.subtotalMinor}" data-currency="${currency}" data-locale="${view.locale}">${money(quote?.totalMinor ?? cart.subtotalMinor + (chosen?.priceMinor ?? 0))}</dd></div>
    </dl>
    ${input.promotionCode ? html`<p class="hint">Discount code: ${input.promotionCode}${quote?.promotionCode && !quote.promotionCode.applied ? html` — ${quote.promotionCode.message}` : ''} (<a href="/cart">change</a>)</p>` : html`<p class="hint"><a href="/cart">Have a discount code?</a></p>`}
    <button class="button button-wide" type="submit" data-place-order>Place order</button>
    <p class="hint">By placing the order you agree to pay the total above.</p>
  </aside>
</form>`,
  };
}
