import { html, type Html } from '@shop/web';
import { statusBadge } from '../components/badges.ts';
import { dateTime, money } from '../components/money.ts';
import type { OrderDocument } from '../data/invoices.ts';
import type { AdminOrder } from '../data/orders.ts';
import type { Page } from '../server/view.ts';

export interface OrderDetailView {
  order: AdminOrder;
  /** The order's invoice and credit notes, oldest first. */
  documents: readonly OrderDocument[];
  locale: string;
  csrf: string;
  can: { manage: boolean; refund: boolean; ship: boolean };
  /** Fresh per render: a resubmitted form repeats the same request instead of a second one. */
  keys: { refund: string; resend: string };
  /** The API's answer to the last action, when it refused. */
  error?: string | undefined;
  /** The refund form's field errors (`reason`, `amount`), shown next to their field. */
  fieldErrors?: Record<string, string> | undefined;
  flash?: string | undefined;
}

const units = (n: number) => (n === 1 ? '1 unit' : `${n} units`);

/** Statuses from which staff may still cancel (the API decides; this only hides a button that would be refused). */
const CANCELLABLE = new Set(['pending_payment', 'paid', 'payment_failed']);
const NEXT_SHIPMENT: Record<string, ('in_transit' | 'delivered')[]> = { label_purchased: ['in_transit', 'delivered'], in_transit: ['delivered'], delivered: [] };

export function orderDetailPage(v: OrderDetailView): Page {
  const o = v.order;
  const m = (minor: number) => money(minor, o.currency, v.locale);
  const csrf = html`<input type="hidden" name="_csrf" value="${v.csrf}">`;
  const a = o.shippingAddress;
  return {
    title: `Order ${o.orderNumber}`,
    flash: v.flash,
    body: html`<p class="breadcrumb"><a href="/orders">Orders</a> / ${o.orderNumber}</p>
<div class="page-head">
  <div><h1>Order ${o.orderNumber} ${statusBadge(o.status)}</h1><p class="muted">Placed ${dateTime(o.createdAt, v.locale)} by ${o.email}</p></div>
  <div class="actions">
    ${
      v.can.manage
        ? html`<form method="post" action="/orders/${o.id}/resend-confirmation">${csrf}<input type="hidden" name="key" value="${v.keys.resend}">
      <button class="button" type="submit">Resend confirmation email</button></form>`
        : ''
    }
    ${
      v.can.manage && CANCELLABLE.has(o.status)
        ? html`<form method="post" action="/orders/${o.id}/cancel" data-confirm="Cancel order ${o.orderNumber}? ${o.paidMinor > 0 ? `${m(o.refundableMinor)} will be refunded.` : 'Its stock is released.'}">${csrf}
      <button class="button button-danger" type="submit">Cancel order</button></form>`
        : ''
    }
  </div>
</div>
${v.error ? html`<div class="alert alert-error" role="alert" tabindex="-1" data-focus-first>${v.error}</div>` : ''}
<div class="grid-2">
  <div>
    <section class="card" aria-labelledby="lines-title">
      <div class="card-head"><h2 id="lines-title">Lines</h2><p class="muted">${o.itemCount} items</p></div>
      <div class="table-wrap"><table class="table">
        <thead><tr><th scope="col">Item</th><th scope="col">SKU</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Refundable</th><th scope="col" class="num">Unit</th><th scope="col" class="num">Total</th></tr></thead>
        <tbody>${o.lines.map(
          (l) => html`<tr><td>${l.name}</td><td><code>${l.sku}</code></td><td class="num">${l.quantity}</td><td class="num">${l.refundableQuantity}</td>
          <td class="num">${m(l.unitPriceMinor)}</td><td class="num">${m(l.unitPriceMinor * l.quantity)}</td></tr>`,
        )}</tbody>
        <tfoot>
          <tr><th scope="row" colspan="5">Subtotal</th><td class="num">${m(o.subtotalMinor)}</td></tr>
          <tr><th scope="row" colspan="5">Shipping (${o.shippingOption.name})</th><td class="num">${m(o.shippingMinor)}</td></tr>
          <tr><th scope="row" colspan="5">Total</th><td class="num"><strong>${m(o.totalMinor)}</strong></td></tr>
        </tfoot>
      </table></div>
    </section>
    ${paymentCard(v, m)}
    ${documentsCard(v, m)}
    ${v.can.refund && o.refundableMinor > 0 ? refundForm(v, m, csrf) : ''}
    ${shipmentsCard(v, csrf)}
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <ol class="timeline">${o.activity.map(
        (e) => html`<li><time datetime="${e.at}">${dateTime(e.at, v.locale)}</time> <span class="badge">${e.kind}</span> ${e.summary}</li>`,
      )}</ol>
    </section>
  </div>
  <div>
    <section class="card" aria-labelledby="customer-title">
      <h2 id="customer-title">Customer</h2>
      <p>${o.userId ? html`<a href="/customers/${o.userId}">${o.email}</a>` : html`${o.email} <span class="muted">(guest)</span>`}</p>
      <h3>Ships to</h3>
      <address>${a.name}<br>${a.line1}<br>${a.line2 ? html`${a.line2}<br>` : ''}${a.postalCode} ${a.city}<br>${a.region ? html`${a.region}<br>` : ''}${a.country}${a.phone ? html`<br>${a.phone}` : ''}</address>
    </section>
    <section class="card" aria-labelledby="emails-title">
      <h2 id="emails-title">Emails sent</h2>
      ${
        o.emails.length
          ? html`<ul class="plain">${o.emails.map((e) => html`<li><strong>${e.subject}</strong><br><span class="muted">${e.kind.replaceAll('_', ' ')} · to ${e.to} · ${dateTime(e.sentAt, v.locale)}</span></li>`)}</ul>`
          : html`<p class="empty-note">None yet.</p>`
      }
    </section>
  </div>
</div>`,
  };
}

function paymentCard(v: OrderDetailView, m: (minor: number) => string): Html {
  const o = v.order;
  const p = o.payment;
  return html`<section class="card" aria-labelledby="payment-title">
  <div class="card-head"><h2 id="payment-title">Payment</h2>${p ? statusBadge(p.state) : ''}</div>
  ${
    p
      ? html`<dl class="facts"><div><dt>Captured</dt><dd>${m(p.capturedMinor)}</dd></div><div><dt>Refunded</dt><dd>${m(p.refundedMinor)}</dd></div>
    <div><dt>Still refundable</dt><dd>${m(o.refundableMinor)}</dd></div>${p.failureCode ? html`<div><dt>Failure</dt><dd><code>${p.failureCode}</code></dd></div>` : ''}</dl>`
      : html`<p class="empty-note">No payment recorded here yet.</p>`
  }
  ${
    o.refunds.length
      ? html`<h3>Refunds</h3><div class="table-wrap"><table class="table">
    <thead><tr><th scope="col">Asked</th><th scope="col">What</th><th scope="col">Reason</th><th scope="col">Status</th><th scope="col" class="num">Amount</th></tr></thead>
    <tbody>${o.refunds.map(
      (r) => html`<tr><td>${dateTime(r.createdAt, v.locale)}</td><td>${r.lines.length ? units(r.lines.reduce((n, l) => n + l.quantity, 0)) : 'an amount'}${r.shipping ? ' + shipping' : ''}</td>
      <td>${r.reason}</td><td>${statusBadge(r.status)}</td><td class="num">${m(r.amountMinor)}</td></tr>`,
    )}</tbody></table></div>`
      : ''
  }
</section>`;
}

function refundForm(v: OrderDetailView, m: (minor: number) => string, csrf: Html): Html {
  const o = v.order;
  return html`<section class="card" aria-labelledby="refund-title">
  <h2 id="refund-title">Refund</h2>
  <form method="post" action="/orders/${o.id}/refunds" class="stack" data-confirm="Refund money to ${o.email}? This cannot be undone.">
    ${csrf}<input type="hidden" name="key" value="${v.keys.refund}">
    <fieldset class="stack"><legend>What to refund</legend>
      <label class="choice"><input type="radio" name="kind" value="lines" checked> Chosen units</label>
      <div class="table-wrap"><table class="table">
        <thead><tr><th scope="col">Item</th><th scope="col" class="num">Refundable</th><th scope="col" class="num">Units to refund</th></tr></thead>
        <tbody>${o.lines.map(
          (l, i) => html`<tr><td><label for="qty-${i}">${l.name} (${m(l.unitPriceMinor)} each)</label></td><td class="num">${l.refundableQuantity}</td>
          <td class="num"><input type="hidden" name="variant" value="${l.variantId}"><input id="qty-${i}" class="qty" name="quantity" type="number" min="0" max="${l.refundableQuantity}" value="0" inputmode="numeric"></td></tr>`,
        )}</tbody></table></div>
      <label class="choice"><input type="checkbox" name="shipping" value="yes"> Also refund shipping (${m(o.shippingMinor)})</label>
      <label class="choice"><input type="radio" name="kind" value="amount"> An amount</label>
      ${errorField('amount', html`Amount in ${o.currency}`, html`<input id="f-amount" name="amount" inputmode="decimal" placeholder="5.00"`, `At most ${m(o.refundableMinor)}.`, v.fieldErrors)}
      <label class="choice"><input type="radio" name="kind" value="full"> Everything still refundable (${m(o.refundableMinor)})</label>
    </fieldset>
    ${errorField('reason', html`Reason`, html`<input id="f-reason" name="reason" required maxlength="500"`, "Shown in the order's history and the audit log.", v.fieldErrors)}
    <label class="choice"><input type="checkbox" name="confirm" value="yes" required> I have checked the refund</label>
    <div><button class="button button-danger" type="submit">Refund</button></div>
  </form>
</section>`;
}

/** A refund field with its hint and, after a refusal, its error next to it (tied to the input for screen readers). */
function errorField(name: string, label: Html, input: Html, hint: string, errors: Record<string, string> | undefined): Html {
  const error = errors?.[name];
  const describedBy = [`f-${name}-hint`, error ? `f-${name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field ${error ? 'field-error' : ''}"><label for="f-${name}">${label}</label>${input} aria-describedby="${describedBy}" ${error ? html`aria-invalid="true"` : ''}>
  <p class="hint" id="f-${name}-hint">${hint}</p>${error ? html`<p class="error" id="f-${name}-error">${error}</p>` : ''}</div>`;
}

function shipmentsCard(v: OrderDetailView, csrf: Html): Html {
  const o = v.order;
  return html`<section class="card" aria-labelledby="shipments-title">
  <h2 id="shipments-title">Shipments</h2>
  ${
    o.shipments.length
      ? o.shipments.map(
          (s) => html`<div class="shipment"><p>${statusBadge(s.status)} ${s.carrier} <code>${s.trackingNumber}</code> · <a href="/shipments/${s.id}/label" target="_blank" rel="noopener">Label</a></p>
  ${
    v.can.ship && (NEXT_SHIPMENT[s.status] ?? []).length
      ? html`<form method="post" action="/shipments/${s.id}/advance" class="row">${csrf}<input type="hidden" name="back" value="/orders/${o.id}">
    <div class="field"><label for="next-${s.id}">Move to</label><select id="next-${s.id}" name="status">${(NEXT_SHIPMENT[s.status] ?? []).map((n) => html`<option value="${n}">${n.replace('_', ' ')}</option>`)}</select></div>
    <button class="button" type="submit">Update shipment</button></form>`
      : ''
  }</div>`,
        )
      : html`<p class="empty-note">No label yet: one is bought once the order is paid.</p>`
  }
</section>`;
}

function documentsCard(v: OrderDetailView, m: (minor: number) => string) {
  return html`<section class="card" aria-labelledby="documents-title">
  <h2 id="documents-title">Invoices</h2>
  ${
    v.documents.length
      ? html`<ul class="plain-list">${v.documents.map(
          (d) => html`<li><a href="/orders/${v.order.id}/documents/${d.id}" download="${d.number}.pdf">${d.kind === 'invoice' ? 'Download invoice' : 'Download credit note'} ${d.number}</a> <span class="muted">${m(d.totalMinor)}</span></li>`,
        )}</ul>`
      : html`<p class="empty-note">No invoice yet: it is issued once the payment is captured.</p>`
  }
</section>`;
}
