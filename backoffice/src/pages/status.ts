import { html } from '@shop/web';
import type { Page } from '../server/view.ts';

export const notFoundPage = (): Page => ({
  status: 404,
  title: 'Not found',
  body: html`<div class="empty"><h1>Not found</h1><p>There is nothing at this address.</p><p><a class="button" href="/">Go to the home page</a></p></div>`,
});

export const forbiddenPage = (permission: string): Page => ({
  status: 403,
  title: 'Not for your role',
  body: html`<div class="empty"><h1>Not for your role</h1><p>This screen needs the <code>${permission}</code> permission. Ask an admin if you need it.</p><p><a class="button" href="/">Go to the home page</a></p></div>`,
});

export const errorPage = (requestId: string, unreachable: boolean): Page => ({
  status: unreachable ? 503 : 500,
  title: unreachable ? 'The shop API is unreachable' : 'Something went wrong',
  body: html`<div class="empty"><h1>${unreachable ? 'The shop API is unreachable' : 'Something went wrong'}</h1>
<p>${unreachable ? 'The back office cannot reach the commerce API right now; try again in a moment.' : 'The page could not be shown.'} Reference: <code>${requestId}</code></p></div>`,
});
