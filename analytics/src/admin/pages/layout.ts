import { html, type Html } from '@shop/platform/html';

export interface PageContext {
  /** The signed-in session's form token; absent on the sign-in page. */
  csrf?: string;
  /** A one-line outcome of the last action (after a redirect), announced politely. */
  notice?: string;
}

export interface ConsolePage {
  status?: number;
  title: string;
  body: Html;
}

/** The document around every console page: no script at all, one stylesheet, a skip link. */
export function document(page: ConsolePage, ctx: PageContext): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${page.title} · Analytics console</title>
<link rel="icon" href="/dashboard/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <p class="brand"><a href="/console">Analytics console</a></p>
  ${ctx.csrf
    ? html`<nav aria-label="Console">
    <ul><li><a href="/console">Tenants</a></li><li><a href="/console/tenants/new">New tenant</a></li><li><a href="/dashboard">Dashboard</a></li></ul>
    <form method="post" action="/console/sign-out">${csrfField(ctx.csrf)}<button type="submit" class="link">Sign out</button></form>
  </nav>`
    : ''}
</header>
<main id="main" tabindex="-1">
${ctx.notice ? html`<p class="notice" role="status">${ctx.notice}</p>` : ''}
${page.body}
</main>
</body>
</html>`.value;
}

export const csrfField = (csrf: string): Html => html`<input type="hidden" name="_csrf" value="${csrf}">`;

export interface FieldOptions {
  type?: 'text' | 'number' | 'password';
  value?: string | number;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  maxlength?: number;
  /** A `<datalist>` id offering values. */
  list?: string;
}

/** A labelled input with its hint and its error (from the API) beside it, tied to it for screen readers. */
export function field(name: string, label: string, errors: Record<string, string>, o: FieldOptions = {}): Html {
  const id = `f-${name}`;
  const error = errors[name];
  const described = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field${error ? ' field-error' : ''}">
  <label for="${id}">${label}${o.required ? '' : html` <span class="optional">(optional)</span>`}</label>
  <input id="${id}" name="${name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.required ? html` required` : ''}
    ${o.type === 'number' ? html`inputmode="numeric" min="1" step="1"` : html`maxlength="${o.maxlength ?? 200}"`}
    ${o.autocomplete ? html`autocomplete="${o.autocomplete}"` : ''}${o.list ? html` list="${o.list}"` : ''}
    ${described ? html`aria-describedby="${described}"` : ''}${error ? html` aria-invalid="true"` : ''}>
  ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
  ${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
</div>`;
}

/** Problems no field owns (a refusal of the whole request), read out when the page loads. */
export function formProblems(messages: readonly string[]): Html {
  if (messages.length === 0) return html``;
  return html`<div class="alert" role="alert"><p>The API refused this:</p><ul>${messages.map((m) => html`<li>${m}</li>`)}</ul></div>`;
}

const number = new Intl.NumberFormat('en');
export const count = (n: number): string => number.format(n);

/** An instant as UTC, to the second: the console's one clock, whatever the tenant's zone. */
export const utc = (iso: string | undefined): string => (iso ? `${iso.slice(0, 19).replace('T', ' ')} UTC` : '—');

export const notFoundPage = (what: string): ConsolePage => ({
  status: 404,
  title: 'Not found',
  body: html`<h1>Not found</h1><p>${what} does not exist.</p><p><a href="/console">All tenants</a></p>`,
});
