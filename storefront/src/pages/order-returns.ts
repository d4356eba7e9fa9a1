import { html } from '@shop/web';
import type { OrderDocument } from '../data/invoices.ts';
import type { Order } from '../data/orders.ts';
import type { OrderReturns } from '../data/returns.ts';

/** What the shopper typed, shown again with the API's answer when a return was refused. */
export interface ReturnFormState {
  reason: string;
  quantities: Record<string, string>;
  alert?: string;
}

const RETURN_STATUS: Record<string, string> = {
  requested: 'Requested: we will review it shortly',
  approved: 'Approved: please send the items back',
  refused: 'Refused',
  received: 'Received and refunded',
};

/** The order's returns, and the form to ask for one while the window is open. */
export function returnsSection(order: Order, returns: OrderReturns, query: string, csrf: string, key: string, money: (minor: number) => string, form?: ReturnFormState) {
  const returnable = new Map(returns.lines.map((l) => [l.variantId, l.returnableQuantity]));
  const open = order.lines.filter((l) => (returnable.get(l.variantId) ?? 0) > 0);
  const nameOf = (variantId: string) => order.lines.find((l) => l.variantId === variantId)?.name ?? variantId;
  if (returns.returns.length === 0 && open.length === 0) return '';
  return html`<section class="panel" id="returns" aria-labelledby="h-returns">
  <h2 id="h-returns">Returns</h2>
  ${returns.returns.length
    ? html`<ul class="returns">${returns.returns.map(
        (r) => html`<li data-return-status="${r.status}"><strong>${RETURN_STATUS[r.status] ?? r.status}</strong>
      <span>${r.lines.map((l) => `${l.quantity} × ${nameOf(l.variantId)}`).join(', ')}</span>
      ${r.decisionNote ? html`<span>Note: ${r.decisionNote}</span>` : ''}
      ${r.status === 'received' && r.refundMinor !== null ? html`<span>Refund: ${money(r.refundMinor)}</span>` : ''}</li>`,
      )}</ul>`
    : ''}
  ${open.length
    ? html`<form method="post" action="/orders/${order.id}/returns${query}" class="return-form">
    <h3>Request a return</h3>
    ${returns.returnableUntil ? html`<p>You can ask until ${returns.returnableUntil.slice(0, 10)}.</p>` : ''}
    ${form?.alert ? html`<div class="alert alert-error" role="alert"><p>${form.alert}</p></div>` : ''}
    <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="key" value="${key}">
    ${open.map(
      (l) => html`<div class="field"><label for="qty-${l.variantId}">${l.name} <small>(up to ${returnable.get(l.variantId) ?? 0})</small></label>
      <input id="qty-${l.variantId}" name="qty_${l.variantId}" type="number" inputmode="numeric" min="0" max="${returnable.get(l.variantId) ?? 0}" value="${form?.quantities[l.variantId] ?? '0'}"></div>`,
    )}
    <div class="field"><label for="return-reason">Why are you returning it?</label>
    <textarea id="return-reason" name="reason" rows="3" maxlength="500" required>${form?.reason ?? ''}</textarea></div>
    <button class="button" type="submit">Request a return</button>
  </form>`
    : ''}
</section>`;
}

/** Invoice and credit notes, as links to their PDFs. */
export function documentsSection(order: Order, documents: readonly OrderDocument[], query: string) {
  if (documents.length === 0) return '';
  return html`<section class="panel" aria-labelledby="h-documents">
  <h2 id="h-documents">Documents</h2>
  <ul class="documents">${documents.map(
    (d) => html`<li><a href="/orders/${order.id}/documents/${d.id}${query}" download="${d.number}.pdf">${d.kind === 'invoice' ? 'Download invoice' : 'Download credit note'} ${d.number}</a></li>`,
  )}</ul>
</section>`;
}
