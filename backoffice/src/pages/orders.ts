import { html } from '@shop/web';
import { statusBadge } from '../components/badges.ts';
import { dateTime, money } from '../components/money.ts';
import { pager } from '../components/pager.ts';
import type { OrderFilters } from '../data/orders.ts';
import type { Page } from '../server/view.ts';

export const ORDER_STATUSES = ['pending_payment', 'paid', 'fulfilled', 'shipped', 'delivered', 'payment_failed', 'cancelled', 'refunded'] as const;

interface OrderRow {
  id: string;
  orderNumber: string;
  status: string;
  email: string;
  currency: string;
  totalMinor: number;
  itemCount: number;
  createdAt: string;
}

/** The orders list: filters applied by the API, newest first, a keyset page at a time. */
export function ordersPage(d: { locale: string; filters: OrderFilters; orders: OrderRow[]; nextCursor: string | null; error?: string | undefined }): Page {
  const f = d.filters;
  const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');
  return {
    title: 'Orders',
    body: html`<div class="page-head"><h1>Orders</h1><p class="muted">Newest first</p></div>
<form class="filters card" method="get" action="/orders" role="search" aria-label="Filter orders">
  <label>Status<select name="status"><option value="">Any</option>${ORDER_STATUSES.map(
    (s) => html`<option value="${s}" ${f.status === s ? 'selected' : ''}>${s.replaceAll('_', ' ')}</option>`,
  )}</select></label>
  <label class="grow">Email<input name="email" type="search" value="${f.email ?? ''}" autocomplete="off"></label>
  <label>Order number<input name="number" type="search" value="${f.number ?? ''}" placeholder="SO-00000042" autocomplete="off"></label>
  <label>From<input name="from" type="date" value="${day(f.from)}"></label>
  <label>Before<input name="to" type="date" value="${day(f.to)}"></label>
  ${f.customerId ? html`<input type="hidden" name="customerId" value="${f.customerId}">` : ''}
  <button class="button button-primary" type="submit">Filter</button>
  <a class="button button-quiet" href="/orders">Clear</a>
</form>
${d.error ? html`<div class="alert alert-error" role="alert">${d.error}</div>` : ''}
<section class="card" aria-labelledby="orders-title">
  <h2 id="orders-title" class="visually-hidden">Matching orders</h2>
  ${
    d.orders.length
      ? html`<div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Order</th><th scope="col">Placed</th><th scope="col">Email</th><th scope="col">Status</th><th scope="col" class="num">Items</th><th scope="col" class="num">Total</th></tr></thead>
  <tbody>${d.orders.map(
    (o) => html`<tr><td class="name"><a href="/orders/${o.id}">${o.orderNumber}</a></td><td>${dateTime(o.createdAt, d.locale)}</td><td>${o.email}</td>
    <td>${statusBadge(o.status)}</td><td class="num">${o.itemCount}</td><td class="num">${money(o.totalMinor, o.currency, d.locale)}</td></tr>`,
  )}</tbody></table></div>`
      : html`<p class="empty-note">No order matches these filters.</p>`
  }
  ${pager('/orders', { status: f.status, email: f.email, number: f.number, customerId: f.customerId, from: day(f.from), to: day(f.to) }, d.nextCursor, Boolean(f.cursor))}
</section>`,
  };
}
