import { field, formAlert, html, type Html } from '@shop/web';
import { actionForm, selectField } from '../components/fields.ts';
import { dateTime, money } from '../components/money.ts';
import type { Promotion } from '../data/promotions.ts';
import type { Page } from '../server/view.ts';
import type { FormProblem } from './product.ts';

export const PROMOTION_LABELS = {
  code: 'Code',
  name: 'Name',
  kind: 'Kind',
  value: 'Amount or percentage',
  currency: 'Currency',
  minSubtotalMinor: 'Minimum subtotal',
  startsAt: 'Starts',
  endsAt: 'Ends',
  usageLimit: 'Uses in total',
  perCustomerLimit: 'Uses per customer',
};

/** What a promotion gives, in words: "10% off", "€5.00 off", "Free shipping". */
function benefit(p: Promotion, locale: string): string {
  if (p.kind === 'percentage') return `${p.value / 100}% off`;
  if (p.kind === 'fixed_amount') return `${money(p.value, p.currency ?? 'EUR', locale)} off`;
  return 'Free shipping';
}

function state(p: Promotion): Html {
  const now = Date.now();
  if (p.disabledAt) return html`<span class="badge badge-muted">Disabled</span>`;
  if (p.endsAt && Date.parse(p.endsAt) <= now) return html`<span class="badge badge-muted">Ended</span>`;
  if (p.startsAt && Date.parse(p.startsAt) > now) return html`<span class="badge badge-warn">Scheduled</span>`;
  if (p.usageLimit !== null && p.usedCount >= p.usageLimit) return html`<span class="badge badge-muted">Used up</span>`;
  return html`<span class="badge badge-ok">Active</span>`;
}

function newPromotionForm(csrf: string, problem: FormProblem | undefined): Html {
  const v = problem?.values ?? {};
  const errors = problem?.fields ?? {};
  return html`<section class="card" aria-labelledby="new-title">
  <h2 id="new-title">New promotion</h2>
  ${problem?.message ? formAlert(problem.message) : ''}
  ${actionForm(
    '/promotions',
    csrf,
    html`${field('code', 'Code', errors, { id: 'p-code', required: false, value: v.code, maxlength: 40, hint: 'Leave empty for an automatic promotion (applies without a code).' })}
    ${field('name', 'Name', errors, { id: 'p-name', value: v.name, maxlength: 200, hint: 'Shown to shoppers on the cart, the order and the email.' })}
    ${selectField('kind', 'Kind', errors, { id: 'p-kind', value: v.kind, choices: [['percentage', 'Percentage off'], ['fixed_amount', 'Fixed amount off'], ['free_shipping', 'Free shipping']] })}
    ${field('value', 'Amount or percentage', errors, { id: 'p-value', required: false, value: v.value, hint: 'Percentage: e.g. 10 or 12.5. Fixed amount: in the currency, e.g. 5.00. Free shipping: leave empty.' })}
    ${field('currency', 'Currency', errors, { id: 'p-currency', required: false, value: v.currency, maxlength: 3, hint: 'Needed for a fixed amount or a minimum; empty: any currency.' })}
    ${field('minSubtotalMinor', 'Minimum subtotal', errors, { id: 'p-min', required: false, value: v.minSubtotalMinor, hint: 'In the currency, e.g. 50.00; empty: none.' })}
    ${field('startsAt', 'Starts', errors, { id: 'p-starts', required: false, type: 'datetime-local', value: v.startsAt, hint: 'UTC; empty: now.' })}
    ${field('endsAt', 'Ends', errors, { id: 'p-ends', required: false, type: 'datetime-local', value: v.endsAt, hint: 'UTC; empty: never.' })}
    ${field('usageLimit', 'Uses in total', errors, { id: 'p-limit', required: false, value: v.usageLimit, inputmode: 'numeric', hint: 'Empty: unlimited.' })}
    ${field('perCustomerLimit', 'Uses per customer', errors, { id: 'p-per', required: false, value: v.perCustomerLimit, inputmode: 'numeric', hint: 'Counted by email; empty: unlimited.' })}
    <button class="button button-primary" type="submit">Create promotion</button>`,
    { label: 'New promotion' },
  )}
</section>`;
}

/** Promotions with their use, a form to create one (promotions.write) and a disable button per live one. */
export function promotionsPage(v: { csrf: string; locale: string; promotions: Promotion[]; canWrite: boolean; problem?: FormProblem | undefined }): Page {
  return {
    status: v.problem ? 400 : 200,
    title: 'Promotions',
    body: html`<div class="page-head"><div><h1>Promotions</h1><p class="muted">Discount codes and automatic promotions. At most one discount and one free shipping apply to an order: the largest discount wins.</p></div></div>
<div class="${v.canWrite ? 'grid-2' : ''}">
<section class="card" aria-labelledby="list-title">
  <h2 id="list-title">All promotions</h2>
  ${
    v.promotions.length
      ? html`<div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Code</th><th scope="col">Name</th><th scope="col">Gives</th><th scope="col">Valid</th><th scope="col" class="num">Used</th><th scope="col">State</th>${v.canWrite ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : ''}</tr></thead>
  <tbody>${v.promotions.map(
    (p) => html`<tr>
    <td class="name">${p.code ? html`<code>${p.code}</code>` : html`<span class="muted">automatic</span>`}</td>
    <td>${p.name}${p.minSubtotalMinor > 0 ? html`<br><small class="muted">from ${money(p.minSubtotalMinor, p.currency ?? 'EUR', v.locale)}</small>` : ''}</td>
    <td>${benefit(p, v.locale)}</td>
    <td>${p.startsAt ? dateTime(p.startsAt, v.locale) : 'now'} – ${p.endsAt ? dateTime(p.endsAt, v.locale) : 'no end'}</td>
    <td class="num">${p.usedCount}${p.usageLimit !== null ? ` / ${p.usageLimit}` : ''}${p.perCustomerLimit !== null ? html`<br><small class="muted">${p.perCustomerLimit} per customer</small>` : ''}</td>
    <td>${state(p)}</td>
    ${v.canWrite ? html`<td>${p.disabledAt ? '' : actionForm(`/promotions/${p.id}/disable`, v.csrf, html`<button class="button button-small" type="submit" aria-label="Disable ${p.code ?? p.name}">Disable</button>`, { confirm: `Disable ${p.code ?? p.name}? Checkouts will no longer apply it.` })}</td>` : ''}
  </tr>`,
  )}</tbody></table></div>`
      : html`<p class="empty-note">No promotions yet.</p>`
  }
</section>
${v.canWrite ? newPromotionForm(v.csrf, v.problem) : ''}
</div>`,
  };
}
