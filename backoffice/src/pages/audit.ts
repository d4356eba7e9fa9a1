import { html, type Html } from '@shop/web';
import { dateTime } from '../components/money.ts';
import { pager } from '../components/pager.ts';
import type { AuditEntry } from '../data/audit.ts';
import type { Page } from '../server/view.ts';

export interface AuditView {
  locale: string;
  entries: AuditEntry[];
  nextCursor: string | null;
  filters: { action?: string | undefined; subjectType?: string | undefined; subjectId?: string | undefined; actor?: string | undefined; from?: string | undefined; to?: string | undefined; cursor?: string | undefined };
  refused?: string | undefined;
}

const SUBJECTS = ['product', 'variant', 'category', 'order', 'shipment', 'refund', 'user'];

/** A scrollable block: focusable, so keyboard users can scroll it too. */
const json = (value: unknown, label: string): Html =>
  html`<pre class="json" tabindex="0" role="region" aria-label="${label}">${value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const short = (v: unknown) => {
  const text = v === undefined ? '—' : JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
};

/** The fields an update changed, side by side; for a creation or deletion, the whole state. */
function changes(e: AuditEntry): Html {
  if (isRecord(e.before) && isRecord(e.after)) {
    const before = e.before;
    const after = e.after;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== 'updatedAt' && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    if (keys.length) {
      return html`<table class="changes"><caption class="visually-hidden">Changed fields</caption><thead><tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
<tbody>${keys.map((k) => html`<tr><th scope="row">${k}</th><td><code>${short(before[k])}</code></td><td><code>${short(after[k])}</code></td></tr>`)}</tbody></table>`;
    }
  }
  return html`<div class="diff"><div><strong>Before</strong>${json(e.before, `${e.action} before`)}</div><div><strong>After</strong>${json(e.after, `${e.action} after`)}</div></div>`;
}

/** Where an entry's subject lives in the back office, when it has a screen. */
function subjectLink(e: AuditEntry): Html {
  const label = html`${e.subject.type} <code>${e.subject.id.slice(0, 8)}</code>`;
  if (e.subject.type === 'product' && e.action !== 'product.delete') return html`<a href="/products/${e.subject.id}">${label}</a>`;
  if (e.subject.type === 'order') return html`<a href="/orders/${e.subject.id}">${label}</a>`;
  const productId = (e.after as { productId?: string } | null)?.productId ?? (e.before as { productId?: string } | null)?.productId;
  if (e.subject.type === 'variant' && productId) return html`<a href="/products/${productId}">${label}</a>`;
  return label;
}

export function auditPage(v: AuditView): Page {
  const f = v.filters;
  const filtered = Boolean(f.action || f.subjectType || f.subjectId || f.actor || f.from || f.to);
  return {
    title: 'Audit log',
    flash: v.refused,
    flashIsError: Boolean(v.refused),
    body: html`<div class="page-head"><div><h1>Audit log</h1><p class="muted">Every back-office action: who, what, when, and the state before and after</p></div></div>
<section class="card">
<form class="filters" method="get" action="/audit" role="search" aria-label="Filter the audit log">
  <label>Subject<select name="subjectType"><option value="">Any</option>${SUBJECTS.map((s) => html`<option value="${s}" ${f.subjectType === s ? 'selected' : ''}>${s}</option>`)}</select></label>
  <label>Action<input name="action" value="${f.action ?? ''}" maxlength="80" placeholder="product.update or product."></label>
  <label>Subject id<input name="subjectId" value="${f.subjectId ?? ''}" maxlength="100"></label>
  <label>User id<input name="actor" value="${f.actor ?? ''}" maxlength="100"></label>
  <label>From (UTC)<input type="date" name="from" value="${f.from ?? ''}"></label>
  <label>To (UTC)<input type="date" name="to" value="${f.to ?? ''}"></label>
  <button class="button" type="submit">Apply</button>
  ${filtered ? html`<a class="button button-quiet" href="/audit">Clear</a>` : ''}
</form>
${
  v.entries.length
    ? html`<div class="table-wrap"><table class="table audit">
  <caption class="visually-hidden">Audit entries, newest first</caption>
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Before and after</th></tr></thead>
  <tbody>${v.entries.map(
    (e) => html`<tr>
    <td>${dateTime(e.createdAt, v.locale)}</td>
    <td>${e.actor.email ?? e.actor.id}<br><span class="role role-${e.actor.role}">${e.actor.role}</span></td>
    <td><code>${e.action}</code>${e.summary ? html`<br><span class="muted">${e.summary}</span>` : ''}</td>
    <td>${subjectLink(e)}</td>
    <td class="changes-cell"><details><summary>Show changes</summary>${changes(e)}</details></td>
  </tr>`,
  )}</tbody></table></div>`
    : html`<p class="empty-note">No entries${filtered ? ' match these filters' : ' yet'}.</p>`
}
${pager('/audit', { action: f.action, subjectType: f.subjectType, subjectId: f.subjectId, actor: f.actor, from: f.from, to: f.to }, v.nextCursor, Boolean(f.cursor))}
</section>`,
  };
}
