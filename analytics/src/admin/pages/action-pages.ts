import { html } from '@shop/platform/html';
import type { ErasureView, KeyView, TenantView } from '../console-api.ts';
import { count, csrfField, utc, type ConsolePage } from './layout.ts';

/** The new key, once: it is not stored, so this answer is the only place it ever appears. */
export function keyCreatedPage(tenant: TenantView, key: KeyView, plainKey: string): ConsolePage {
  return {
    status: 201,
    title: `New ${key.kind} key`,
    body: html`<h1>New ${key.kind} key for ${tenant.name}</h1>
<div class="alert" role="alert"><p>Copy the key now: it is not stored and cannot be shown again.</p></div>
<div class="field">
  <label for="plain-key">${key.kind === 'write' ? 'Write key (the collector takes it as the Basic user name)' : 'Read key (for /v1/query and the dashboard)'}</label>
  <input id="plain-key" type="text" readonly value="${plainKey}" class="key" autocomplete="off" spellcheck="false">
</div>
<p>Hint kept for telling keys apart: <code>${key.hint}</code>${key.label ? html`, label “${key.label}”` : ''}.</p>
<p><a href="/console/tenants/${tenant.id}">Back to ${tenant.name}</a></p>`,
  };
}

/** A revocation asks first: clients using the key start being refused. */
export function revokeConfirmPage(tenant: TenantView, key: KeyView, csrf: string, cacheSeconds: number): ConsolePage {
  return {
    title: 'Revoke key?',
    body: html`<h1>Revoke ${key.kind} key <code>${key.hint}</code>?</h1>
<p>${key.label ? html`Labelled “${key.label}”, created ${utc(key.createdAt)}. ` : html`Created ${utc(key.createdAt)}. `}Every client using it is refused from now on
(other instances within ${cacheSeconds} s, as they cache keys). A revoked key cannot be restored; make a new one instead.</p>
<form method="post" action="/console/tenants/${tenant.id}/keys/${key.id}/revoke" class="actions">
  ${csrfField(csrf)}
  <button type="submit" class="danger">Revoke key</button>
  <a href="/console/tenants/${tenant.id}">Cancel</a>
</form>`,
  };
}

/** An erasure asks first, naming the ids: it cannot be undone. */
export function erasureConfirmPage(tenant: TenantView, person: { userId: string; anonymousIds: string[] }, csrf: string): ConsolePage {
  return {
    title: 'Erase this person?',
    body: html`<h1>Erase this person's events from ${tenant.name}?</h1>
<ul>
  ${person.userId ? html`<li>User id <code>${person.userId}</code></li>` : ''}
  ${person.anonymousIds.map((id) => html`<li>Anonymous id <code>${id}</code></li>`)}
</ul>
<p>Their events, and those of ids linked to them, are removed from the raw store, the batch views and the speed layer,
and no new event of theirs is counted. This cannot be undone.</p>
<form method="post" action="/console/tenants/${tenant.id}/erasures" class="actions">
  ${csrfField(csrf)}
  <input type="hidden" name="userId" value="${person.userId}">
  <input type="hidden" name="anonymousIds" value="${person.anonymousIds.join('\n')}">
  <input type="hidden" name="confirmed" value="yes">
  <button type="submit" class="danger">Erase</button>
  <a href="/console/tenants/${tenant.id}">Cancel</a>
</form>`,
  };
}

const STEPS: Array<[keyof ErasureView['steps'], string]> = [
  ['expandedAt', 'Linked ids found'],
  ['rewrittenAt', 'Raw store rewritten'],
  ['recomputedAt', 'Batch views recomputed'],
  ['speedRebuiltAt', 'Speed layer rebuilt'],
];

/** One erasure request and how far it has come. */
export function erasurePage(tenant: TenantView, r: ErasureView): ConsolePage {
  return {
    title: `Erasure ${r.id}`,
    body: html`<h1>Erasure <code>${r.id}</code></h1>
<p>For ${tenant.name}, requested ${utc(r.requestedAt)}. Status: <strong id="erasure-status">${r.status}</strong>${r.completedAt ? html`, completed ${utc(r.completedAt)}` : ''}.</p>
<ol class="steps">${STEPS.map(([step, label]) => html`<li>${label}: ${r.steps[step] ? utc(r.steps[step]) : 'not yet'}</li>`)}</ol>
${r.counts
  ? html`<table><caption>What it did</caption><tbody>${Object.entries(r.counts).map(([name, n]) => html`<tr><th scope="row">${name}</th><td class="num">${count(n)}</td></tr>`)}</tbody></table>`
  : html`<p>The erasure runs in the background; <a href="/console/tenants/${tenant.id}/erasures/${r.id}">refresh</a> to follow it.</p>`}
<p><a href="/console/tenants/${tenant.id}">Back to ${tenant.name}</a></p>`,
  };
}
