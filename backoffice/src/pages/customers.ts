import { html } from '@shop/web';
import { statusBadge } from '../components/badges.ts';
import { dateTime, money } from '../components/money.ts';
import { pager } from '../components/pager.ts';
import type { Page } from '../server/view.ts';

interface CustomerRow {
  id: string;
  email: string;
  createdAt: string;
  addressCount: number;
}

export function customersPage(d: { locale: string; search?: string | undefined; cursor?: string | undefined; customers: CustomerRow[]; nextCursor: string | null }): Page {
  return {
    title: 'Customers',
    body: html`<div class="page-head"><h1>Customers</h1><p class="muted">Newest first</p></div>
<form class="filters card" method="get" action="/customers" role="search" aria-label="Search customers">
  <label class="grow">Email contains<input name="search" type="search" value="${d.search ?? ''}" autocomplete="off"></label>
  <button class="button button-primary" type="submit">Search</button>
</form>
<section class="card" aria-labelledby="customers-title">
  <h2 id="customers-title" class="visually-hidden">Customers</h2>
  ${
    d.customers.length
      ? html`<div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Email</th><th scope="col">Since</th><th scope="col" class="num">Addresses</th></tr></thead>
  <tbody>${d.customers.map(
    (c) => html`<tr><td class="name"><a href="/customers/${c.id}">${c.email}</a></td><td>${dateTime(c.createdAt, d.locale)}</td><td class="num">${c.addressCount}</td></tr>`,
  )}</tbody></table></div>`
      : html`<p class="empty-note">No customer matches.</p>`
  }
  ${pager('/customers', { search: d.search }, d.nextCursor, Boolean(d.cursor))}
</section>`,
  };
}

export function customerPage(d: {
  locale: string;
  customer: CustomerRow & { orders: Array<{ id: string; orderNumber: string; status: string; currency: string; totalMinor: number; createdAt: string }> };
}): Page {
  const c = d.customer;
  return {
    title: c.email,
    body: html`<p class="breadcrumb"><a href="/customers">Customers</a> / ${c.email}</p>
<div class="page-head"><div><h1>${c.email}</h1><p class="muted">Customer since ${dateTime(c.createdAt, d.locale)} · ${c.addressCount} saved addresses</p></div>
<div class="actions"><a class="button" href="/orders?customerId=${c.id}">All their orders</a></div></div>
<section class="card" aria-labelledby="orders-title">
  <h2 id="orders-title">Newest orders</h2>
  ${
    c.orders.length
      ? html`<div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Status</th><th scope="col" class="num">Total</th></tr></thead>
  <tbody>${c.orders.map(
    (o) => html`<tr><td class="name"><a href="/orders/${o.id}">${o.orderNumber}</a></td><td>${dateTime(o.createdAt, d.locale)}</td><td>${statusBadge(o.status)}</td>
    <td class="num">${money(o.totalMinor, o.currency, d.locale)}</td></tr>`,
  )}</tbody></table></div>`
      : html`<p class="empty-note">No orders yet.</p>`
  }
</section>`,
  };
}
