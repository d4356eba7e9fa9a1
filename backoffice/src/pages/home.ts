import { html, type Html } from '@shop/web';
import { money } from '../components/money.ts';
import type { Page } from '../server/view.ts';

interface HomeData {
  locale: string;
  summary: { orders: number; revenue: { currency: string; totalMinor: number }[]; awaitingPayment: number; awaitingShipment: number };
  lowStock: { variantId: string; sku: string; options: Record<string, string>; productId: string; productName: string; available: number }[] | null;
  analyticsUrl?: string | undefined;
}

const tile = (label: string, value: Html | string | number, note: string) =>
  html`<div class="tile"><p class="tile-label">${label}</p><p class="tile-value">${value}</p><p class="tile-note">${note}</p></div>`;

export function homePage(d: HomeData): Page {
  const revenue = d.summary.revenue.length ? d.summary.revenue.map((r) => money(r.totalMinor, r.currency, d.locale)).join(' + ') : money(0, 'EUR', d.locale);
  return {
    title: 'Home',
    body: html`<div class="page-head"><h1>Today</h1><p class="muted">Since midnight UTC</p></div>
<section class="tiles" aria-label="Today's figures">
  ${tile("Today's orders", d.summary.orders, 'placed since midnight')}
  ${tile("Today's revenue", revenue, 'paid orders placed today')}
  ${tile('Waiting for payment', d.summary.awaitingPayment, 'pending payment')}
  ${tile('Waiting for shipment', d.summary.awaitingShipment, 'paid, not shipped yet')}
</section>
${
  d.lowStock
    ? html`<section class="card" aria-labelledby="low-stock">
  <div class="card-head"><h2 id="low-stock">Low stock</h2><p class="muted">Published variants with 5 or fewer left to sell</p></div>
  ${
    d.lowStock.length
      ? html`<table class="table"><thead><tr><th scope="col">Product</th><th scope="col">SKU</th><th scope="col">Options</th><th scope="col" class="num">Available</th></tr></thead>
  <tbody>${d.lowStock.map(
    (v) => html`<tr><td><a href="/products/${v.productId}">${v.productName}</a></td><td><code>${v.sku}</code></td><td>${Object.values(v.options).join(' / ') || '—'}</td>
    <td class="num"><span class="badge ${v.available === 0 ? 'badge-danger' : 'badge-warning'}">${v.available}</span></td></tr>`,
  )}</tbody></table>`
      : html`<p class="empty-note">Nothing is running low.</p>`
  }
</section>`
    : ''
}`,
  };
}
