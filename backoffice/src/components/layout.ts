import { html, type Html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import { navigation } from './navigation.ts';

const LOGO = html`<svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="8" fill="currentColor"/><path d="M9 22V10l7 7 7-7v12" fill="none" stroke="#111827" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

function shell(view: View, page: Page): Html {
  const me = view.me!;
  return html`<div class="shell">
  <aside class="sidebar">
    <a class="brand" href="/">${LOGO}<span>${view.shopName}<small>Back office</small></span></a>
    ${navigation(view.url, me.permissions)}
    ${view.storefrontUrl ? html`<a class="side-link" href="${view.storefrontUrl}">Open the shop ↗</a>` : ''}
  </aside>
  <div class="workspace">
    <header class="topbar">
      <p class="who"><span class="avatar" aria-hidden="true">${me.email.slice(0, 1).toUpperCase()}</span><span>${me.email}</span><span class="role role-${me.role}">${me.role}</span></p>
      <form method="post" action="/sign-out"><input type="hidden" name="_csrf" value="${view.csrf}"><button class="button button-quiet" type="submit">Sign out</button></form>
    </header>
    <main id="main" tabindex="-1">
      ${page.flash ? (page.flashIsError ? html`<div class="alert alert-error" role="alert">${page.flash}</div>` : html`<div class="alert alert-success" role="status">${page.flash}</div>`) : ''}
      ${page.body}
    </main>
  </div>
</div>`;
}

/** The whole document: the shell (navigation by permission, who is signed in) around the page. */
export function layout(view: View, page: Page): string {
  return `<!doctype html>${html`<html lang="${view.locale.split('-')[0]}" data-locale="${view.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${page.title} · ${view.shopName} back office</title>
<link rel="stylesheet" href="${view.assets.css}">
<script type="module" src="${view.assets.js}"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${view.me ? shell(view, page) : html`<main id="main" class="lone" tabindex="-1">${page.body}</main>`}
</body>
</html>`.value}`;
}
