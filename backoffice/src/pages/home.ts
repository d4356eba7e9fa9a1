import { html, type Html } from '@shop/web';
import { money } from '../components/money.ts';
import type { ShopAnalytics } from '../data/shop-analytics.ts';
import type { Page } from '../server/view.ts';

interface HomeData {
  locale: string;
  summary: { orders: number; revenue: { currency: string; totalMinor: number }[]; awaitingPayment: number; awaitingShipment: number };
  lowStock: { variantId: string; sku: string; options: Record<string, string>; productId: string; productName: string; available: number }[] | null;
  analytics: ShopAnalytics;
  /** The analytics dashboard, without a key: it asks for the read key itself. */
  dashboardUrl: string | undefined;
}

const tile = (label: string, value: Html | string | number, note: string) =>
  html`<div class="tile"><p class="tile-label">${label}</p><p class="tile-value">${value}</p><p class="tile-note">${note}</p></div>`;

/** Today's shoppers from the analytics platform; when it is not configured or not answering, the panel says so. */
function shoppersPanel(a: ShopAnalytics, dashboardUrl: string | undefined, locale: string): Html {
  const n = (value: number) => Math.round(value).toLocaleString(locale);
  return html`<section class="card" aria-labelledby="shoppers-title">
  <div class="card-head"><h2 id="shoppers-title">Shoppers today</h2><p class="muted">From the shop's analytics, since midnight UTC</p></div>
  ${
    a.state === 'ok'
      ? html`<div class="tiles analytics-tiles">
    <div class="stat"><p class="tile-label">Visitors</p><p class="tile-value">${n(a.uniqueUsers)}</p></div>
    <div class="stat"><p class="tile-label">Sessions</p><p class="tile-value">${n(a.sessions)}</p></div>
    <div class="stat"><p class="tile-label">Page views</p><p class="tile-value">${n(a.pageviews)}</p></div>
    <div class="stat"><p class="tile-label">Orders tracked</p><p class="tile-value">${n(a.orders)}</p></div>
  </div>`
      : a.state === 'unconfigured'
        ? html`<p class="empty-note" data-analytics="unconfigured">Analytics is not configured: set BACKOFFICE_ANALYTICS_URL and BACKOFFICE_ANALYTICS_READ_KEY to see today's shoppers here.</p>`
        : html`<p class="empty-note" data-analytics="unreachable">Analytics is not answering right now (${a.reason}); the figures above come from the shop itself and are unaffected.</p>`
  }
  ${dashboardUrl ? html`<p><a href="${dashboardUrl}">Open the analytics dashboard ↗</a> <span class="muted">(it asks for the shop's read key, which is not put in the link)</span></p>` : ''}
</section>`;
}

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
${shoppersPanel(d.analytics, d.dashboardUrl, d.locale)}
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
