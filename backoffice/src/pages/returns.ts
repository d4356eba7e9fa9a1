import { html } from '@shop/web';
import { statusBadge } from '../components/badges.ts';
import { dateTime } from '../components/money.ts';
import type { ReturnRow } from '../data/returns.ts';
import type { Page } from '../server/view.ts';

export const RETURN_STATUSES = ['requested', 'approved', 'refused', 'received'] as const;

/** The returns queue: decide requested returns, receive approved ones (restock or write off). */
export function returnsPage(d: {
  locale: string;
  csrf: string;
  status?: string | undefined;
  returns: ReturnRow[];
  canManage: boolean;
  error?: string | undefined;
  flash?: string | undefined;
}): Page {
  const csrf = html`<input type="hidden" name="_csrf" value="${d.csrf}">`;
  const back = html`<input type="hidden" name="back" value="/returns${d.status ? `?status=${d.status}` : ''}">`;
  return {
    title: 'Returns',
    flash: d.flash,
    body: html`<div class="page-head"><h1>Returns</h1><p class="muted">Oldest first</p></div>
<form class="filters card" method="get" action="/returns" aria-label="Filter returns">
  <label>Status<select name="status" data-autosubmit><option value="">Any</option>${RETURN_STATUSES.map(
    (s) => html`<option value="${s}" ${d.status === s ? 'selected' : ''}>${s}</option>`,
  )}</select></label>
  <button class="button button-primary" type="submit">Filter</button>
</form>
${d.error ? html`<div class="alert alert-error" role="alert" tabindex="-1" data-focus-first>${d.error}</div>` : ''}
<section class="card" aria-labelledby="returns-title">
  <h2 id="returns-title" class="visually-hidden">Returns</h2>
  ${
    d.returns.length
      ? html`<div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Order</th><th scope="col">Asked</th><th scope="col" class="num">Units</th><th scope="col">Reason</th><th scope="col">Status</th><th scope="col">Next step</th></tr></thead>
  <tbody>${d.returns.map(
    (r) => html`<tr data-return-id="${r.id}"><td class="name"><a href="/orders/${r.orderId}">${r.orderNumber}</a></td><td>${dateTime(r.createdAt, d.locale)}</td>
    <td class="num">${r.lines.reduce((n, l) => n + l.quantity, 0)}</td><td>${r.reason}</td><td>${statusBadge(r.status)}${r.disposition ? html` <small>${r.disposition.replace('_', ' ')}</small>` : ''}</td>
    <td>${
      !d.canManage
        ? ''
        : r.status === 'requested'
          ? html`<form method="post" action="/returns/${r.id}/decide" class="inline">${csrf}${back}
        <label class="visually-hidden" for="note-${r.id}">Note for ${r.orderNumber}</label><input id="note-${r.id}" name="note" maxlength="500" placeholder="Note (optional)">
        <button class="button button-small button-primary" type="submit" name="decision" value="approve">Approve<span class="visually-hidden"> return of ${r.orderNumber}</span></button>
        <button class="button button-small button-danger" type="submit" name="decision" value="refuse">Refuse<span class="visually-hidden"> return of ${r.orderNumber}</span></button></form>`
          : r.status === 'approved'
            ? html`<form method="post" action="/returns/${r.id}/receive" class="inline">${csrf}${back}
        <button class="button button-small button-primary" type="submit" name="disposition" value="restock">Received: restock<span class="visually-hidden"> (${r.orderNumber})</span></button>
        <button class="button button-small" type="submit" name="disposition" value="write_off">Received: write off<span class="visually-hidden"> (${r.orderNumber})</span></button></form>`
            : ''
    }</td></tr>`,
  )}</tbody></table></div>`
      : html`<p class="empty-note">No return matches.</p>`
  }
</section>`,
  };
}
