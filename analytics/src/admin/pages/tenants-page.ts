import { html } from '@shop/platform/html';
import type { TenantUsage, TenantView } from '../console-api.ts';
import { count, utc, type ConsolePage } from './layout.ts';

const percent = (used: number, quota: number) => `${((100 * used) / quota).toFixed(used && used < quota / 1000 ? 2 : 1)} %`;

export interface TenantsPageData {
  tenants: readonly TenantView[];
  usage: readonly TenantUsage[];
  /** The filter as typed, and the cursor of this page (empty on the first). */
  q: string;
  after: string;
  next?: string;
  /** The API's refusal of the filter, shown instead of the table. */
  problem?: string;
}

const listUrl = (q: string, after?: string) => {
  const params = new URLSearchParams({ ...(q ? { q } : {}), ...(after ? { after } : {}) });
  return `/console${params.size ? `?${params}` : ''}`;
};

/** A page of tenants (filtered and paged by the API) with today's use of each quota and the collector's counts. */
export function tenantsPage(data: TenantsPageData): ConsolePage {
  const byId = new Map(data.usage.map((u) => [u.tenantId, u]));
  const since = data.usage[0]?.sinceStart.since;
  const { tenants, q } = data;
  return {
    status: data.problem ? 400 : 200,
    title: 'Tenants',
    body: html`<h1>Tenants</h1>
<p><a class="button" href="/console/tenants/new">New tenant</a></p>
<form method="get" action="/console" class="search" role="search">
  <label for="f-q">Find a tenant</label>
  <input id="f-q" name="q" type="search" value="${q}" maxlength="100" aria-describedby="f-q-hint">
  <button type="submit">Find</button>
  <p class="hint" id="f-q-hint">Part of the id or the name.</p>
</form>
${data.problem ? html`<div class="alert" role="alert"><p>${data.problem}</p></div>` : ''}
${tenants.length === 0
  ? html`<p>${q ? `No tenant matches “${q}”.` : data.after ? 'No more tenants.' : 'No tenant yet.'}</p>`
  : html`<div class="table-wrap" role="region" aria-labelledby="tenants-caption" tabindex="0">
<table id="tenants">
  <caption id="tenants-caption">Today is each tenant's own day (its time zone). Accepted, bots, duplicates and rejected are this instance's counts since ${utc(since)}.</caption>
  <thead><tr><th scope="col">Tenant</th><th scope="col">Time zone</th><th scope="col" class="num">Events today</th><th scope="col" class="num">Daily quota</th><th scope="col" class="num">Quota used</th><th scope="col" class="num">Accepted</th><th scope="col" class="num">Bots</th><th scope="col" class="num">Duplicates</th><th scope="col" class="num">Rejected</th></tr></thead>
  <tbody>
  ${tenants.map((t) => {
    const u = byId.get(t.id);
    return html`<tr data-tenant="${t.id}">
    <th scope="row"><a href="/console/tenants/${t.id}">${t.name}</a> <span class="muted">${t.id}</span></th>
    <td>${t.timeZone}</td>
    <td class="num" data-count="today">${u ? count(u.today.used) : '—'}</td>
    <td class="num">${count(t.dailyQuota)}</td>
    <td class="num">${u ? percent(u.today.used, t.dailyQuota) : '—'}</td>
    <td class="num" data-count="accepted">${u ? count(u.sinceStart.accepted) : '—'}</td>
    <td class="num" data-count="bots">${u ? count(u.sinceStart.bots) : '—'}</td>
    <td class="num" data-count="duplicates">${u ? count(u.sinceStart.duplicates) : '—'}</td>
    <td class="num" data-count="rejected">${u ? count(u.sinceStart.rejected) : '—'}</td>
  </tr>`;
  })}
  </tbody>
</table>
</div>`}
${data.after || data.next
  ? html`<nav aria-label="Pages of tenants" class="pages">
  ${data.after ? html`<a href="${listUrl(q)}">First page</a>` : ''}
  ${data.next ? html`<a href="${listUrl(q, data.next)}" rel="next">Next page</a>` : ''}
</nav>`
  : ''}`,
  };
}
