import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ShopClient } from '@shop/sdk';
import { cookiesOf, formFromOwnOrigin, seeOther, sendDocument } from '@shop/web';
import { layout } from '../components/layout.ts';
import { getMe, Staff, type Me } from '../data/staff.ts';
import { forbiddenPage } from '../pages/status.ts';
import type { BackofficeConfig } from './config.ts';
import type { Page, View } from './view.ts';

/** This origin only, no inline script or style; product images come from the API through the proxy. */
export const CSP =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

export interface Site {
  config: BackofficeConfig;
  client: ShopClient;
  assets: { css: string; js: string };
}

/** What a route handler works with: the staff member's visit (for the API) and how to render for them. */
export interface RequestContext {
  staff: Staff;
  render(reply: FastifyReply, page: Page, me: Me | null): Promise<FastifyReply>;
  redirect(reply: FastifyReply, to: string): FastifyReply;
}

export function originOf(site: Site, request: FastifyRequest): string {
  return site.config.PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
}

function localeFrom(header: string | undefined): string {
  const tag = (header ?? '').split(',')[0]?.split(';')[0]?.trim();
  try {
    return tag ? (Intl.getCanonicalLocales(tag)[0] ?? 'en-GB') : 'en-GB';
  } catch {
    return 'en-GB';
  }
}

export function contextFor(site: Site, request: FastifyRequest): RequestContext {
  const staff = new Staff(site.client, cookiesOf(request), localeFrom(request.headers['accept-language']), request.ip);
  return {
    staff,
    async render(reply, page, me) {
      const flash = page.flash ?? (typeof (request.query as Record<string, unknown>)?.done === 'string' ? String((request.query as Record<string, string>).done) : undefined);
      const view: View = {
        shopName: site.config.SHOP_NAME,
        url: request.url,
        locale: staff.locale,
        assets: site.assets,
        me,
        csrf: staff.cookies.csrf_token ?? '',
        storefrontUrl: site.config.STOREFRONT_URL?.replace(/\/$/, ''),
      };
      return sendDocument(reply, layout(view, { ...page, flash }), { status: page.status, setCookies: staff.setCookies, cacheControl: 'no-store' });
    },
    redirect: (reply, to) => seeOther(reply, to, staff.setCookies),
  };
}

/** Form posts from this site only, with the session's csrf token when signed in (see formFromOwnOrigin). */
export function formAllowed(site: Site, request: FastifyRequest): boolean {
  return formFromOwnOrigin(request, originOf(site, request));
}

/** The signed-in user with `permission`, or null after answering: to sign-in (anonymous) or 403 (role). */
export async function requirePermission(
  ctx: RequestContext,
  request: FastifyRequest,
  reply: FastifyReply,
  permission: string,
): Promise<Me | null> {
  const me = await getMe(ctx.staff);
  if (!me || (me.role !== 'admin' && me.role !== 'staff')) {
    ctx.redirect(reply, `/sign-in?next=${encodeURIComponent(request.url)}`);
    return null;
  }
  if (!me.permissions.includes(permission)) {
    await ctx.render(reply, forbiddenPage(permission), me);
    return null;
  }
  return me;
}

export const can = (me: Me | null, permission: string): boolean => Boolean(me?.permissions.includes(permission));
