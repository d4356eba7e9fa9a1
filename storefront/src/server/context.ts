import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ShopClient } from '@shop/sdk';
import { getCategoryTree } from '../data/categories.ts';
import { Shopper } from '../data/shopper.ts';
import { localeFrom } from '../components/money.ts';
import { layout } from '../components/layout.ts';
import type { StorefrontConfig } from './config.ts';
import { appendSetCookies, cookiesOf } from '@shop/web';
import type { Page, View } from './view.ts';

/** Content-Security-Policy: this origin only, no inline script (JSON-LD is data, not script). */
export const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; " +
  "manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

export interface Site {
  config: StorefrontConfig;
  client: ShopClient;
  assets: { css: string; js: string };
}

/** What a route handler works with: the shopper (for the API) and how to render for them. */
export interface RequestContext {
  shopper: Shopper;
  view(): Promise<View>;
  render(reply: FastifyReply, page: Page): Promise<FastifyReply>;
  redirect(reply: FastifyReply, to: string): FastifyReply;
}

export function originOf(site: Site, request: FastifyRequest): string {
  return site.config.PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
}

export function contextFor(site: Site, request: FastifyRequest): RequestContext {
  const cookies = cookiesOf(request);
  const locale = localeFrom(request.headers['accept-language']);
  const shopper = new Shopper(site.client, cookies, locale, request.ip);
  const view = async (): Promise<View> => {
    const tree = await getCategoryTree(shopper).catch(() => []);
    return {
      shopName: site.config.SHOP_NAME,
      origin: originOf(site, request),
      locale,
      url: request.url,
      signedIn: shopper.signedIn,
      assets: site.assets,
      nav: tree.map((c) => ({ slug: c.slug, name: c.name })),
      csrf: shopper.cookies.csrf_token ?? '',
    };
  };
  return {
    shopper,
    view,
    async render(reply, page) {
      appendSetCookies(reply, shopper.setCookies);
      const body = layout(await view(), page);
      return reply
        .status(page.status ?? 200)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('vary', 'cookie, accept-language')
        .send(body);
    },
    redirect(reply, to) {
      appendSetCookies(reply, shopper.setCookies);
      return reply.status(303).header('location', to).header('cache-control', 'no-store').send();
    },
  };
}

/**
 * Storefront forms change the shopper's state through the API, so they get the API's own CSRF
 * defence: a post from another origin is refused, and a signed-in shopper's form must carry the
 * session's csrf token (double submit; the API checks the same token in `x-csrf-token`).
 */
export function formAllowed(site: Site, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (origin && origin !== 'null' && origin !== originOf(site, request)) return false;
  const cookies = cookiesOf(request);
  if (!cookies.sid) return true;
  const sent = (request.body as Record<string, string> | undefined)?._csrf;
  return typeof sent === 'string' && sent !== '' && sent === cookies.csrf_token;
}
