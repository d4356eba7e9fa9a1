import { html } from '@shop/web';
import type { Page } from '../server/view.ts';

/** The no-JavaScript confirmation of a destructive action: the same form again, with `confirm=yes`. */
export function confirmPage(o: { question: string; action: string; csrf: string; fields: Record<string, string>; back: string }): Page {
  return {
    title: 'Please confirm',
    body: html`<section class="card"><h1>Please confirm</h1><p>${o.question}</p>
<form method="post" action="${o.action}" class="row">
  <input type="hidden" name="_csrf" value="${o.csrf}"><input type="hidden" name="confirm" value="yes">
  ${Object.entries(o.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
  <a class="button" href="${o.back}">Cancel</a><button class="button button-danger" type="submit">Yes, do it</button>
</form></section>`,
  };
}
