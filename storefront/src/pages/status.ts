import { html } from '@shop/web';
import type { Page } from '../server/view.ts';

export function notFoundPage(): Page {
  return {
    status: 404,
    title: 'Page not found',
    description: 'This page does not exist.',
    noindex: true,
    body: html`<div class="narrow center"><p class="big">404</p><h1>We could not find that page</h1><p>It may have moved, or the link may be mistyped.</p>
<form action="/search" method="get" class="inline"><label for="q404" class="visually-hidden">Search products</label><input id="q404" name="q" type="search" placeholder="Search products"><button class="button" type="submit">Search</button></form>
<p><a href="/">Back to the home page</a></p></div>`,
  };
}

export function errorPage(requestId: string): Page {
  return {
    status: 500,
    title: 'Something went wrong',
    description: 'An error occurred.',
    noindex: true,
    body: html`<div class="narrow center"><h1>Something went wrong on our side</h1><p>Please try again in a moment. If it keeps happening, quote reference <code>${requestId}</code>.</p><p><a class="button" href="/">Back to the shop</a></p></div>`,
  };
}

export function unavailablePage(requestId: string): Page {
  return {
    status: 503,
    title: 'The shop is taking a break',
    description: 'The shop cannot be reached right now.',
    noindex: true,
    body: html`<div class="narrow center"><h1>The shop cannot be reached right now</h1><p>Please try again in a moment (reference <code>${requestId}</code>).</p></div>`,
  };
}

export function offlinePage(): Page {
  return {
    title: 'You are offline',
    description: 'No network connection.',
    noindex: true,
    body: html`<div class="narrow center"><h1>You are offline</h1><p>Pages you visited are still here; your cart, checkout and orders need the network and will be back when you reconnect.</p><p><a class="button" href="/">Go to the home page</a></p></div>`,
  };
}
