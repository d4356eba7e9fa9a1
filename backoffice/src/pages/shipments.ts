import { html } from '@shop/web';
import { statusBadge } from '../components/badges.ts';
import { dateTime } from '../components/money.ts';
import { pager } from '../components/pager.ts';
import type { Page } from '../server/view.ts';

interface ShipmentRow {
  id: string;
  orderId: string;
  orderNumber: string;
  carrier: string;
  trackingNumber: string;
  status: string;
  updatedAt: string;
}

const NEXT: Record<string, string[]> = { label_purchased: ['in_transit', 'delivered'], in_transit: ['delivered'], delivered: [] };
const STATUSES = ['label_purchased', 'in_transit', 'delivered'];

/** Shipments, newest first, each with its label and the moves it may still make. */
export function shipmentsPage(d: {
  locale: string;
  csrf: string;
  status?: string | undefined;
  cursor?: string | undefined;
  shipments: ShipmentRow[];
  nextCursor: string | null;
  error?: string | undefined;
  flash?: string | undefined;
}): Page {
  return {
    title: 'Shipments',
    flash: d.flash,
    body: html`<div class="page-head"><h1>Shipments</h1><p class="muted">Newest first</p></div>
<form class="filters card" method="get" action="/shipments" aria-label="Filter shipments">
  <label>Status<select name="status" data-autosubmit><option value="">Any</option>${STATUSES.map(
    (s) => html`<option value="${s}" ${d.status === s ? 'selected' : ''}>${s.replace('_', ' ')}</option>`,
  )}</select></label>
  <button class="button button-primary" type="submit">Filter</button>
</form>
${d.error ? html`<div class="alert alert-error" role="alert" tabindex="-1" data-focus-first>${d.error}</div>` : ''}
<section class="card" aria-labelledby="shipments-title">
  <h2 id="shipments-title" class="visually-hidden">Shipments</h2>
  ${
    d.shipments.length
      ? html`<div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Order</th><th scope="col">Carrier</th><th scope="col">Tracking</th><th scope="col">Status</th><th scope="col">Updated</th><th scope="col">Label</th><th scope="col">Move</th></tr></thead>
  <tbody>${d.shipments.map(
    (s) => html`<tr><td class="name"><a href="/orders/${s.orderId}">${s.orderNumber}</a></td><td>${s.carrier}</td><td><code>${s.trackingNumber}</code></td>
    <td>${statusBadge(s.status)}</td><td>${dateTime(s.updatedAt, d.locale)}</td><td><a href="/shipments/${s.id}/label" target="_blank" rel="noopener">Label<span class="visually-hidden"> of ${s.orderNumber}</span></a></td>
    <td>${(NEXT[s.status] ?? []).map(
      (n) => html`<form method="post" action="/shipments/${s.id}/advance" class="inline"><input type="hidden" name="_csrf" value="${d.csrf}"><input type="hidden" name="status" value="${n}">
      <button class="button button-small" type="submit">${n === 'in_transit' ? 'Mark in transit' : 'Mark delivered'}<span class="visually-hidden"> (${s.orderNumber})</span></button></form>`,
    )}</td></tr>`,
  )}</tbody></table></div>`
      : html`<p class="empty-note">No shipment matches.</p>`
  }
  ${pager('/shipments', { status: d.status }, d.nextCursor, Boolean(d.cursor))}
</section>`,
  };
}
