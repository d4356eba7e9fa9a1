import { html } from '@shop/platform/html';
import { field, type ConsolePage } from './layout.ts';

/** The admin token through a form (a POST body, so it never lands in a URL or an access log). */
export function signInPage(error?: string): ConsolePage {
  return {
    status: error ? 401 : 200,
    title: 'Sign in',
    body: html`<h1>Sign in</h1>
<p>The console manages tenants, their keys and erasures. Sign in with the deployment's admin token (<code>ANALYTICS_ADMIN_TOKEN</code>).</p>
<form method="post" action="/console/sign-in" class="form narrow">
  ${field('token', 'Admin token', error ? { token: error } : {}, { type: 'password', required: true, autocomplete: 'current-password', maxlength: 500 })}
  <button type="submit">Sign in</button>
</form>`,
  };
}

export function consoleOffPage(): ConsolePage {
  return {
    status: 403,
    title: 'Console off',
    body: html`<h1>The console is off</h1><p>Set <code>ANALYTICS_ADMIN_TOKEN</code> (at least 16 characters) and restart to switch it on.</p>`,
  };
}
