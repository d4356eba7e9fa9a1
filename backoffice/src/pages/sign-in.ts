import { field, formAlert, html, type FieldErrors } from '@shop/web';
import type { Page } from '../server/view.ts';

export function signInPage(o: { next: string; email?: string; error?: string; errors?: FieldErrors; shopName: string }): Page {
  return {
    status: o.error ? 400 : 200,
    title: 'Sign in',
    body: html`<div class="sign-in">
  <h1>${o.shopName}<span>Back office</span></h1>
  <form method="post" action="/sign-in" class="card stack" novalidate>
    ${formAlert(o.error)}
    <input type="hidden" name="next" value="${o.next}">
    ${field('email', 'Email', o.errors ?? {}, { type: 'email', value: o.email, autocomplete: 'username' })}
    ${field('password', 'Password', o.errors ?? {}, { type: 'password', autocomplete: 'current-password', maxlength: 200 })}
    <button class="button button-primary" type="submit">Sign in</button>
  </form>
  <p class="fineprint">For the shop's staff. Shoppers sign in on the storefront.</p>
</div>`,
  };
}
