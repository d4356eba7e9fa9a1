import { html, type Html } from '@shop/web';
import { formatMoney } from './money.ts';

/** What a quote and an order both carry: enough to show every amount that makes the total. */
export interface PricedTotals {
  currency: string;
  subtotalMinor: number;
  shippingMinor: number;
  shippingDiscountMinor: number;
  taxMinor: number;
  taxInclusive: boolean;
  totalMinor: number;
  promotions: { name: string; code: string | null; amountMinor: number }[];
}

/**
 * Subtotal, each promotion with what it took off, shipping, tax (included in the prices or
 * added to them) and the total: the same rows on the cart, the checkout and the order page.
 */
export function priceSummary(t: PricedTotals, locale: string, labels: { shipping?: string; shippingKnown: boolean }): Html {
  const money = (minor: number) => formatMoney(minor, t.currency, locale);
  const shipping = !labels.shippingKnown ? '—' : t.shippingMinor - t.shippingDiscountMinor === 0 ? 'Free' : money(t.shippingMinor);
  return html`<dl class="totals" data-totals>
  <div><dt>Subtotal</dt><dd>${money(t.subtotalMinor)}</dd></div>
  ${t.promotions.filter((p) => p.amountMinor > 0).map((p) => html`<div class="discount"><dt>${p.name}${p.code ? html` <small>(${p.code})</small>` : ''}</dt><dd>−${money(p.amountMinor)}</dd></div>`)}
  <div><dt>${labels.shipping ?? 'Shipping'}</dt><dd>${shipping}</dd></div>
  ${t.taxMinor > 0 || t.taxInclusive ? html`<div class="tax"><dt>${t.taxInclusive ? 'Tax included' : 'Tax'}</dt><dd>${money(t.taxMinor)}</dd></div>` : ''}
  <div class="grand"><dt>Total</dt><dd data-total-minor="${t.totalMinor}">${money(t.totalMinor)}</dd></div>
</dl>`;
}
