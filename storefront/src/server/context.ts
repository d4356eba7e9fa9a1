import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ShopClient } from '@shop/sdk';
import { getCategoryTree } from '../data/categories.ts';
import { Shopper } from '../data/shopper.ts';
import { localeFrom } from '../components/money.ts';
import { layout } from '../components/layout.ts';
import type { StorefrontConfig } from './config.ts';
import { cookiesOf, formFromOwnOrigin, seeOther, sendDocument } from '@shop/web';
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
      const body = layout(await view(), page);
      return sendDocument(reply, body, { status: page.status, setCookies: shopper.setCookies, cacheControl: 'no-cache', vary: 'cookie, accept-language' });
    },
    redirect: (reply, to) => seeOther(reply, to, shopper.setCookies),
  };
}

/** Form posts from this site only, with the session's csrf token when signed in (see formFromOwnOrigin). */
export function formAllowed(site: Site, request: FastifyRequest): boolean {
  return formFromOwnOrigin(request, originOf(site, request));
}
