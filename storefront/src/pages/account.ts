import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { Address, Me } from '../data/account.ts';
import type { OrderSummary } from '../data/orders.ts';
import { COUNTRIES } from '../components/countries.ts';
import { field, formAlert, type FieldErrors } from '@shop/web';
import { formatMoney } from '../components/money.ts';
import { STATUS_TEXT } from '../components/order-status.ts';

export function signInPage(view: View, mode: 'sign-in' | 'register', input: { email?: string; errors: FieldErrors; alert?: string; next?: string }): Page {
  const signIn = mode === 'sign-in';
  const next = input.next ? `?next=${encodeURIComponent(input.next)}` : '';
  return {
    title: signIn ? 'Sign in' : 'Create an account',
    description: signIn ? 'Sign in to your account.' : 'Create an account to follow your orders.',
    noindex: true,
    body: html`<div class="narrow">
<h1>${signIn ? 'Sign in' : 'Create an account'}</h1>
${formAlert(input.alert)}
<form method="post" action="/account/${mode}${next}" class="stack panel">
  ${field('email', 'Email', input.errors, { type: 'email', value: input.email, autocomplete: 'email' })}
  ${field('password', 'Password', input.errors, { type: 'password', autocomplete: signIn ? 'current-password' : 'new-password', hint: signIn ? undefined : 'At least 10 characters.' })}
  <button class="button button-wide" type="submit">${signIn ? 'Sign in' : 'Create account'}</button>
</form>
<p>${signIn ? html`New here? <a href="/account/register${next}">Create an account</a>` : html`Already have an account? <a href="/account/sign-in${next}">Sign in</a>`}</p>
</div>`,
  };
}

export function accountPage(view: View, me: Me, orders: OrderSummary[], addresses: Address[], errors: FieldErrors, alert?: string): Page {
  return {
    title: 'Your account',
    description: 'Your orders and addresses.',
    noindex: true,
    body: html`<div class="account-head"><h1>Your account</h1>
<form method="post" action="/account/sign-out"><input type="hidden" name="_csrf" value="${view.csrf}"><button class="button button-secondary" type="submit">Sign out</button></form></div>
<p>Signed in as <strong>${me.email}</strong>.</p>
<section class="panel" aria-labelledby="h-orders" id="orders">
  <h2 id="h-orders">Orders</h2>
  ${orders.length === 0
    ? html`<p>No orders yet.</p>`
    : html`<table class="orders"><caption class="visually-hidden">Your orders, newest first</caption><thead><tr><th scope="col">Order</th><th scope="col">Date</th><th scope="col">Status</th><th scope="col">Total</th></tr></thead><tbody>${orders.map(
        (o) => html`<tr><td><a href="/orders/${o.id}">${o.orderNumber}</a></td><td>${new Date(o.createdAt).toLocaleDateString(view.locale, { timeZone: 'UTC' })}</td><td><span class="tag">${STATUS_TEXT[o.status] ?? o.status}</span></td><td>${formatMoney(o.totalMinor, o.currency, view.locale)}</td></tr>`,
      )}</tbody></table>`}
</section>
<section class="panel" aria-labelledby="h-addresses" id="addresses">
  <h2 id="h-addresses">Addresses</h2>
  ${formAlert(alert)}
  <ul class="addresses">${addresses.map(
    (a) => html`<li><address>${a.name}<br>${a.line1}<br>${a.postalCode} ${a.city}, ${a.country}</address>${a.isDefault ? html`<span class="tag">Default</span>` : ''}
      <form method="post" action="/account/addresses/${a.id}/delete"><input type="hidden" name="_csrf" value="${view.csrf}"><button class="link-button" type="submit" aria-label="Delete the address ${a.line1}">Delete</button></form></li>`,
  )}</ul>
  <details ${Object.keys(errors).length ? 'open' : ''}><summary>Add an address</summary>
  <form method="post" action="/account/addresses" class="stack">
    <input type="hidden" name="_csrf" value="${view.csrf}">
    ${field('name', 'Full name', errors, { autocomplete: 'name' })}
    ${field('line1', 'Address', errors, { autocomplete: 'address-line1' })}
    <div class="row">${field('postalCode', 'Postal code', errors, { autocomplete: 'postal-code', maxlength: 20 })}${field('city', 'City', errors, { autocomplete: 'address-level2', maxlength: 100 })}</div>
    <div class="field"><label for="a-country">Country</label><select id="a-country" name="country" autocomplete="country">${COUNTRIES.map(([c, n]) => html`<option value="${c}" ${c === 'FR' ? 'selected' : ''}>${n}</option>`)}</select></div>
    <button class="button" type="submit">Save the address</button>
  </form></details>
</section>`,
  };
}
