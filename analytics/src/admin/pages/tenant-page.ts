import { html, type Html } from '@shop/platform/html';
import type { ErasureView, KeyView, TenantUsage, TenantView } from '../console-api.ts';
import { count, csrfField, field, formProblems, utc, type ConsolePage } from './layout.ts';

export interface TenantPageForms {
  /** The erasure form after a refusal: values as sent and the API's messages. */
  erasure?: { userId: string; anonymousIds: string; errors: Record<string, string>; problems: string[] };
  key?: { label: string; errors: Record<string, string>; problems: string[] };
}

function usagePanel(u: TenantUsage): Html {
  const rejected = Object.entries(u.sinceStart.rejectedByReason).filter(([, n]) => n > 0);
  return html`<section aria-labelledby="usage-title">
<h2 id="usage-title">Usage</h2>
<dl class="stats" id="usage">
  <div><dt>Events today (${u.today.day}, ${u.timeZone})</dt><dd id="used-today">${count(u.today.used)}</dd></div>
  <div><dt>Daily quota left</dt><dd id="quota-left">${count(u.today.remaining)} of ${count(u.today.dailyQuota)}</dd></div>
  <div><dt>Accepted</dt><dd id="accepted">${count(u.sinceStart.accepted)}</dd></div>
  <div><dt>Bots (among accepted)</dt><dd id="bots">${count(u.sinceStart.bots)}</dd></div>
  <div><dt>Duplicates skipped</dt><dd id="duplicates">${count(u.sinceStart.duplicates)}</dd></div>
  <div><dt>Rejected</dt><dd id="rejected">${count(u.sinceStart.rejected)}</dd></div>
</dl>
<p class="hint">Events today count against the quota on every instance. Accepted, bots, duplicates and rejected are this instance's counts since ${utc(u.sinceStart.since)}.</p>
${rejected.length
  ? html`<table id="rejections"><caption>Rejected events by reason</caption><thead><tr><th scope="col">Reason</th><th scope="col" class="num">Events</th></tr></thead>
  <tbody>${rejected.map(([reason, n]) => html`<tr><td><code>${reason}</code></td><td class="num">${count(n)}</td></tr>`)}</tbody></table>`
  : ''}
</section>`;
}

function keysSection(tenant: TenantView, keys: readonly KeyView[], csrf: string, form: TenantPageForms['key']): Html {
  return html`<section aria-labelledby="keys-title">
<h2 id="keys-title">Keys</h2>
${keys.length === 0
  ? html`<p>No key yet: create a write key for the collector and a read key for the dashboard.</p>`
  : html`<table id="keys"><caption>Write keys send events; read keys query them. Only a hint of each key is kept.</caption>
  <thead><tr><th scope="col">Key</th><th scope="col">Kind</th><th scope="col">Label</th><th scope="col">Created</th><th scope="col">Status</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
  <tbody>${keys.map(
    (k) => html`<tr data-key="${k.id}"><td><code>${k.hint}</code></td><td>${k.kind}</td><td>${k.label ?? ''}</td><td>${utc(k.createdAt)}</td>
    <td>${k.revokedAt ? html`revoked ${utc(k.revokedAt)}` : k.expiresAt ? html`shared dashboard, until ${utc(k.expiresAt)}` : 'live'}</td>
    <td>${k.revokedAt ? '' : html`<a class="danger" href="/console/tenants/${tenant.id}/keys/${k.id}/revoke">Revoke<span class="visually-hidden"> key ${k.hint}</span></a>`}</td></tr>`,
  )}</tbody></table>`}
<h3>New key</h3>
${formProblems(form?.problems ?? [])}
<form method="post" action="/console/tenants/${tenant.id}/keys" class="form inline">
  ${csrfField(csrf)}
  <fieldset>
    <legend>Kind</legend>
    <label><input type="radio" name="kind" value="write" checked> Write (collector)</label>
    <label><input type="radio" name="kind" value="read"> Read (queries, dashboard)</label>
  </fieldset>
  ${field('label', 'Label', form?.errors ?? {}, { value: form?.label, maxlength: 100, hint: 'Where the key is used, e.g. "web" or "backend".' })}
  <button type="submit">Create key</button>
</form>
</section>`;
}

function erasuresSection(tenant: TenantView, erasures: readonly ErasureView[], csrf: string, form: TenantPageForms['erasure']): Html {
  return html`<section aria-labelledby="erasures-title">
<h2 id="erasures-title">Erasures (GDPR)</h2>
${erasures.length === 0
  ? html`<p>No erasure requested.</p>`
  : html`<table id="erasures"><caption>Oldest first. An erasure removes the person from the raw store, the batch views and the speed layer.</caption>
  <thead><tr><th scope="col">Request</th><th scope="col">Requested</th><th scope="col">Status</th><th scope="col" class="num">Ids covered</th><th scope="col">Completed</th></tr></thead>
  <tbody>${erasures.map(
    (r) => html`<tr><td><a href="/console/tenants/${tenant.id}/erasures/${r.id}">${r.id}</a></td><td>${utc(r.requestedAt)}</td><td>${r.status}</td><td class="num">${r.identities}</td><td>${utc(r.completedAt)}</td></tr>`,
  )}</tbody></table>`}
<h3>Erase a person</h3>
${formProblems(form?.problems ?? [])}
<form method="post" action="/console/tenants/${tenant.id}/erasures" class="form">
  ${csrfField(csrf)}
  ${field('userId', 'User id', form?.errors ?? {}, { value: form?.userId, hint: 'The userId the tenant sends in identify and track calls.' })}
  <div class="field${form?.errors.anonymousIds ? ' field-error' : ''}">
    <label for="f-anonymousIds">Anonymous ids <span class="optional">(optional, one per line)</span></label>
    <textarea id="f-anonymousIds" name="anonymousIds" rows="3" aria-describedby="f-anonymousIds-hint${form?.errors.anonymousIds ? ' f-anonymousIds-error' : ''}"${form?.errors.anonymousIds ? html` aria-invalid="true"` : ''}>${form?.anonymousIds ?? ''}</textarea>
    <p class="hint" id="f-anonymousIds-hint">Device ids of the person, if known; linked ones are found in the raw store.</p>
    ${form?.errors.anonymousIds ? html`<p class="error" id="f-anonymousIds-error">${form.errors.anonymousIds}</p>` : ''}
  </div>
  <button type="submit">Continue</button>
</form>
</section>`;
}

/** One tenant: its settings, usage, keys and erasures, with the forms acting on them. */
export function tenantPage(
  data: { tenant: TenantView; keys: KeyView[]; usage: TenantUsage; erasures: ErasureView[] },
  csrf: string,
  forms: TenantPageForms = {},
): ConsolePage {
  const { tenant } = data;
  return {
    status: forms.erasure || forms.key ? 400 : 200,
    title: tenant.name,
    body: html`<h1>${tenant.name} <span class="muted">${tenant.id}</span></h1>
<dl class="settings">
  <div><dt>Time zone</dt><dd id="time-zone">${tenant.timeZone}</dd></div>
  <div><dt>Daily quota</dt><dd>${count(tenant.dailyQuota)} events</dd></div>
  <div><dt>Rate limit</dt><dd>${count(tenant.rateLimitPerSecond)} events/s</dd></div>
  <div><dt>Oldest event accepted</dt><dd>${tenant.maxEventAgeDays ? `${tenant.maxEventAgeDays} days` : "the deployment's default"}</dd></div>
  <div><dt>Created</dt><dd>${utc(tenant.createdAt)}</dd></div>
</dl>
<p><a href="/console/tenants/${tenant.id}">Refresh</a></p>
${usagePanel(data.usage)}
${keysSection(tenant, data.keys, csrf, forms.key)}
${erasuresSection(tenant, data.erasures, csrf, forms.erasure)}`,
  };
}
