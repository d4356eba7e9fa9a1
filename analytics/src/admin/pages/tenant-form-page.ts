import { html } from '@shop/platform/html';
import { count, csrfField, field, formProblems, type ConsolePage } from './layout.ts';

export const TENANT_FIELDS = ['id', 'name', 'timeZone', 'dailyQuota', 'rateLimitPerSecond', 'maxEventAgeDays'] as const;

export interface TenantFormState {
  values: Partial<Record<(typeof TENANT_FIELDS)[number], string>>;
  errors: Record<string, string>;
  problems: string[];
}

// Offered, not imposed: any IANA zone the API accepts may be typed.
const ZONES = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata'];

/** The new-tenant form; after a refusal, the values as sent and the API's message under each field. */
export function tenantFormPage(csrf: string, defaults: { dailyQuota: number; rateLimitPerSecond: number; maxEventAgeDays: number }, state?: TenantFormState): ConsolePage {
  const v = state?.values ?? {};
  const e = state?.errors ?? {};
  return {
    status: state ? 400 : 200,
    title: state ? 'New tenant (not created)' : 'New tenant',
    body: html`<h1>New tenant</h1>
${formProblems(state?.problems ?? [])}
${state && Object.keys(e).length ? html`<p class="alert" role="alert">The tenant was not created: see the fields marked below.</p>` : ''}
<form method="post" action="/console/tenants" class="form" novalidate>
  ${csrfField(csrf)}
  ${field('id', 'Tenant id', e, { required: true, value: v.id, maxlength: 48, hint: 'Lowercase letters, digits and dashes, e.g. acme-shop. It cannot be changed later.' })}
  ${field('name', 'Name', e, { required: true, value: v.name })}
  ${field('timeZone', 'Time zone', e, { required: true, value: v.timeZone ?? 'UTC', maxlength: 64, list: 'zones', hint: "An IANA zone, e.g. Europe/Paris: the tenant's days (quota, daily views) are its local days." })}
  <datalist id="zones">${ZONES.map((z) => html`<option value="${z}"></option>`)}</datalist>
  <fieldset>
    <legend>Limits</legend>
    ${field('dailyQuota', 'Daily quota (events per day)', e, { type: 'number', value: v.dailyQuota, hint: `Empty: the deployment's default, ${count(defaults.dailyQuota)}.` })}
    ${field('rateLimitPerSecond', 'Rate limit (events per second)', e, { type: 'number', value: v.rateLimitPerSecond, hint: `Empty: the deployment's default, ${count(defaults.rateLimitPerSecond)}.` })}
    ${field('maxEventAgeDays', 'Oldest event accepted (days)', e, { type: 'number', value: v.maxEventAgeDays, hint: `Empty: the deployment's ${defaults.maxEventAgeDays} days. Raise it for historical imports.` })}
  </fieldset>
  <button type="submit">Create tenant</button>
</form>`,
  };
}
