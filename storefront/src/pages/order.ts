import { priceSummary } from '../components/price-summary.ts';
import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { Order } from '../data/orders.ts';
import { formatMoney } from '../components/money.ts';
import { paymentFailureText } from '../components/order-status-text.ts';
import { STATUS_TEXT, statusTracker } from '../components/order-status.ts';
import type { OrderDocument } from '../data/invoices.ts';
import type { OrderReturns } from '../data/returns.ts';
import { documentsSection, returnsSection, type ReturnFormState } from './order-returns.ts';

export type { ReturnFormState };

/** What the order page shows besides the order: its returns (null: none readable) and documents. */
export interface OrderExtras {
  returns: OrderReturns | null;
  documents: readonly OrderDocument[];
  form?: ReturnFormState | undefined;
}

export function orderPage(
  view: View,
  order: Order,
  token: string | undefined,
  payment: { state: string; failureCode: string | null } | null,
  extras: OrderExtras = { returns: null, documents: [] },
): Page {
  const money = (minor: number) => formatMoney(minor, order.currency, view.locale);
  const failed = order.status === 'payment_failed' || (order.status === 'cancelled' && payment?.state === 'failed');
  const needsAuth = order.status === 'pending_payment' && payment?.state === 'requires_confirmation';
  const tokenQuery = token ? `?token=${encodeURIComponent(token)}` : '';
  const failure = paymentFailureText(payment?.failureCode);
  return {
    title: `Order ${order.orderNumber}`,
    description: `Order ${order.orderNumber}: ${STATUS_TEXT[order.status] ?? order.status}.`,
    noindex: true,
    body: html`<div class="order" data-island="order" data-order-id="${order.id}" data-token="${token ?? ''}" data-status="${order.status}">
  <p class="eyebrow">Order ${order.orderNumber}</p>
  <h1 data-status-text>${STATUS_TEXT[order.status] ?? order.status}</h1>
  ${failed || order.status === 'cancelled'
    ? html`<p class="lead">This order was not completed. Details go to <strong>${order.email}</strong>.</p>`
    : html`<p class="lead">Thank you. We sent a confirmation to <strong>${order.email}</strong>. This page updates by itself.</p>`}
  ${statusTracker(order.status)}
  <div class="alert alert-info" data-auth-needed ${needsAuth ? '' : 'hidden'} role="status">
    <p>Your bank asks you to confirm this payment.</p>
    <a class="button" href="/checkout/authenticate/${order.id}${tokenQuery}">Confirm the payment</a>
  </div>
  <div class="alert alert-error" data-payment-failed ${failed ? '' : 'hidden'} role="alert">
    <p data-failure-text>${failure}</p>
    <form method="post" action="/orders/${order.id}/retry${tokenQuery}"><input type="hidden" name="_csrf" value="${view.csrf}"><button class="button" type="submit">Try another card</button></form>
  </div>
  <div class="order-grid">
    <section class="panel" aria-labelledby="h-items">
      <h2 id="h-items">Items</h2>
      <ul class="review-lines">${order.lines.map((l) => html`<li><span>${l.quantity} × ${l.name} <small>${l.sku}</small></span><span>${money(l.unitPriceMinor * l.quantity)}</span></li>`)}</ul>
      ${priceSummary(order, view.locale, { shipping: order.shippingOption.name, shippingKnown: true })}
    </section>
    <section class="panel" aria-labelledby="h-ship">
      <h2 id="h-ship">Delivery</h2>
      <address>${order.shippingAddress.name}<br>${order.shippingAddress.line1}<br>${order.shippingAddress.line2 ? html`${order.shippingAddress.line2}<br>` : ''}${order.shippingAddress.postalCode} ${order.shippingAddress.city}<br>${order.shippingAddress.country}</address>
      <h2>History</h2>
      <ol class="timeline" data-timeline>${order.timeline.map((t) => html`<li><time datetime="${t.at}">${new Date(t.at).toLocaleString(view.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })}</time> ${t.from === t.to ? t.cause.replace(/^return/, 'Return') : (STATUS_TEXT[t.to] ?? t.to)}</li>`)}</ol>
    </section>
    ${extras.returns ? returnsSection(order, extras.returns, tokenQuery, view.csrf, `ret-${order.id}-${extras.returns.returns.length}`, money, extras.form) : ''}
    ${documentsSection(order, extras.documents, tokenQuery)}
  </div>
</div>`,
  };
}
