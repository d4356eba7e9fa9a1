import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { Order } from '../data/orders.ts';
import { formatMoney } from '../components/money.ts';

/** The sandbox's stand-in for a card issuer's 3-D Secure page. */
export function authenticatePage(view: View, order: Order, token: string | undefined): Page {
  const action = `/checkout/authenticate/${order.id}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return {
    title: 'Confirm your payment',
    description: '3-D Secure confirmation (sandbox).',
    noindex: true,
    body: html`<div class="bank">
  <p class="bank-brand">Sandbox Bank · 3-D Secure</p>
  <h1>Confirm your payment</h1>
  <p>${view.shopName} asks for <strong>${formatMoney(order.totalMinor, order.currency, view.locale)}</strong> (order ${order.orderNumber}).</p>
  <p class="hint">A real bank would ask for a code from its app. In the sandbox you choose the answer.</p>
  <div class="bank-actions">
    <form method="post" action="${action}"><input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="result" value="approved"><button class="button" type="submit">Approve payment</button></form>
    <form method="post" action="${action}"><input type="hidden" name="_csrf" value="${view.csrf}"><input type="hidden" name="result" value="refused"><button class="button button-secondary" type="submit">Refuse</button></form>
  </div>
</div>`,
  };
}
