import type { FastifyInstance, FastifyReply } from 'fastify';
import { acceptChanges, addToCart, changeQuantity, getCart, removeLine } from '../../data/cart.ts';
import { cartWeightGrams, quoteShipping } from '../../data/shipping.ts';
import { ApiError } from '../../data/shopper.ts';
import { COUNTRIES } from '../../components/countries.ts';
import { formAlert } from '@shop/web';
import { cartPage } from '../../pages/cart.ts';
import { listRegions, PROMO_COOKIE, quoteCart, rememberRegion } from '../../data/pricing.ts';
import { appendSetCookies, cookieLine } from '@shop/web';
import { html } from '@shop/web';
import { contextFor, formAllowed, type RequestContext, type Site } from '../context.ts';

type Form = Record<string, string | undefined>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function renderCart(ctx: RequestContext, reply: FastifyReply, country: string, alert?: string) {
  // First: a visitor placed in a region by country gets the cookie the API prices the cart from.
  const region = await ctx.region();
  const cart = await getCart(ctx.shopper);
  const shipping =
    cart.lines.length > 0
      ? await quoteShipping(ctx.shopper, {
          country,
          weightGrams: await cartWeightGrams(ctx.shopper, cart.lines),
          subtotalMinor: cart.subtotalMinor,
          currency: cart.currency ?? 'EUR',
        }).catch(() => [])
      : [];
  const code = ctx.shopper.cookies[PROMO_COOKIE] ?? null;
  const inRegion = region?.countries.includes(country) ?? false;
  const quote =
    cart.lines.length > 0 && !cart.hasIssues
      ? await quoteCart(ctx.shopper, {
          ...(code ? { promotionCode: code } : {}),
          // Taxes need a destination in the cart's region; shipping is priced at the cheapest option.
          ...(inRegion ? { country, ...(shipping[0] ? { shippingOptionId: shipping[0].id } : {}) } : {}),
        })
      : null;
  const regions = await listRegions(ctx.shopper).catch(() => []);
  const page = cartPage(await ctx.view(), cart, country, shipping, { regions, region, quote, code });
  if (alert) page.body = html`${formAlert(alert)}${page.body}`;
  return ctx.render(reply.header('cache-control', 'no-store'), { ...page, status: alert ? 409 : 200 });
}

/** The cart page and its forms; with JavaScript the drawer does the same through `/api/cart`. */
export function cartRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { country?: string } }>('/cart', async (request, reply) => {
      const country = COUNTRIES.some(([c]) => c === request.query.country) ? request.query.country! : 'FR';
      return renderCart(contextFor(site, request), reply, country);
    });

    /** Runs one cart change from a form, then shows the cart; an expected refusal is shown on the cart page. */
    const change = (path: string, run: (ctx: RequestContext, form: Form) => Promise<unknown>) =>
      app.post<{ Body: Form }>(path, async (request, reply) => {
        const ctx = contextFor(site, request);
        if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
        try {
          await run(ctx, request.body ?? {});
        } catch (e) {
          if (e instanceof ApiError && e.status < 500) return renderCart(ctx, reply, 'FR', e.message);
          throw e;
        }
        return ctx.redirect(reply, '/cart');
      });

    const variant = (form: Form) => {
      if (!UUID.test(form.variantId ?? '')) throw new ApiError(400, 'BAD_REQUEST', 'Choose a variant first.');
      return form.variantId!;
    };
    const quantity = (form: Form, min: number) => {
      const n = Number(form.quantity ?? 1);
      if (!Number.isInteger(n) || n < min || n > 99) throw new ApiError(400, 'BAD_REQUEST', `The quantity must be a whole number from ${min} to 99.`);
      return n;
    };
    change('/cart/add', (ctx, form) => addToCart(ctx.shopper, variant(form), quantity(form, 1)));
    change('/cart/update', (ctx, form) => changeQuantity(ctx.shopper, variant(form), quantity(form, 0)));
    change('/cart/remove', (ctx, form) => removeLine(ctx.shopper, variant(form)));
    change('/cart/accept-changes', (ctx) => acceptChanges(ctx.shopper));

    /** Keeps the code for the cart and the checkout; an empty field removes it. Whether it applies, the quote says. */
    app.post<{ Body: Form }>('/cart/promotion', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      const code = (request.body?.promotionCode ?? '').trim().toUpperCase();
      if (code && !/^[A-Z0-9_-]{1,40}$/.test(code)) return renderCart(ctx, reply, 'FR', 'A discount code has only letters, digits, dashes and underscores.');
      appendSetCookies(reply, [cookieLine(PROMO_COOKIE, code, { maxAgeSeconds: code ? 30 * 86_400 : 0, secure: site.config.COOKIE_SECURE })]);
      return ctx.redirect(reply, '/cart');
    });

    /**
     * The region selector: the cookie names the region to the API (it travels with the visitor's
     * other cookies), then the cart takes the new currency's prices at once.
     */
    app.post<{ Body: Form }>('/region', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      const wanted = request.body?.region ?? '';
      const region = (await listRegions(ctx.shopper)).find((r) => r.id === wanted);
      if (!region) return renderCart(ctx, reply, 'FR', 'Choose one of the regions listed.');
      rememberRegion(ctx.shopper, region.id, site.config.COOKIE_SECURE);
      if ((await getCart(ctx.shopper)).lines.length > 0) await acceptChanges(ctx.shopper);
      // The header's selector comes back to the page it was on (a path of this site only).
      const back = request.body?.return ?? '';
      return ctx.redirect(reply, /^\/(?![/\\])[^\s]{0,2000}$/.test(back) ? back : `/cart?country=${region.countries[0] ?? 'FR'}`);
    });
  };
}
