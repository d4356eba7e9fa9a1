import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { getMe, listAddresses } from '../../data/account.ts';
import { addToCart, getCart } from '../../data/cart.ts';
import { getOrder, placeOrder } from '../../data/orders.ts';
import { answerSandboxAuthentication } from '../../data/payments.ts';
import { cartWeightGrams, quoteShipping } from '../../data/shipping.ts';
import { ApiError } from '../../data/shopper.ts';
import { COUNTRIES } from '../../components/countries.ts';
import { fieldErrorsFrom, type FieldErrors } from '@shop/web';
import { authenticatePage } from '../../pages/authenticate.ts';
import { CHECKOUT_LABELS, checkoutPage, type CheckoutForm } from '../../pages/checkout.ts';
import { notFoundPage } from '../../pages/status.ts';
import { contextFor, formAllowed, type RequestContext, type Site } from '../context.ts';
import { renderOrderPage } from './order-page.ts';
import { appendSetCookies, cookieLine } from '@shop/web';
import { PROMO_COOKIE, quoteCart } from '../../data/pricing.ts';

/** One key per checkout attempt, kept in a cookie: a double click and a reload send the same key. */
const KEY_COOKIE = 'checkout_key';
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,200}$/;
export const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[\w-]{1,100}$/;

/** A guest's order token from the page's query string, when well formed. */
export const tokenFrom = (query: unknown) => {
  const t = (query as { token?: unknown } | undefined)?.token;
  return typeof t === 'string' && TOKEN.test(t) ? t : undefined;
};

async function renderCheckout(
  site: Site,
  ctx: RequestContext,
  reply: FastifyReply,
  input: { form: CheckoutForm; errors: FieldErrors; alert?: string; key: string; status?: number },
) {
  const cart = await getCart(ctx.shopper);
  if (cart.lines.length === 0) return ctx.redirect(reply, '/cart');
  const me = await getMe(ctx.shopper);
  const form = { ...input.form };
  if (me && !form.name) {
    const address = (await listAddresses(ctx.shopper).catch(() => [])).find((a) => a.isDefault) ?? undefined;
    if (address) Object.assign(form, { name: address.name, line1: address.line1, line2: address.line2 ?? '', city: address.city, postalCode: address.postalCode, country: address.country });
  }
  const country = COUNTRIES.some(([c]) => c === form.country) ? form.country! : 'FR';
  const weightGrams = await cartWeightGrams(ctx.shopper, cart.lines);
  const shipping = await quoteShipping(ctx.shopper, {
    country,
    weightGrams,
    subtotalMinor: cart.subtotalMinor,
    currency: cart.currency ?? 'EUR',
  }).catch(() => []);
  appendSetCookies(reply, [cookieLine(KEY_COOKIE, input.key, { maxAgeSeconds: 3600, secure: site.config.COOKIE_SECURE })]);
  const promotionCode = ctx.shopper.cookies[PROMO_COOKIE] ?? null;
  const chosen = shipping.find((o) => o.id === form.shippingOptionId) ?? shipping[0];
  const region = form.region?.trim().toUpperCase();
  const quote = await quoteCart(ctx.shopper, {
    country,
    ...(region && /^[A-Z0-9]{1,3}$/.test(region) ? { subdivision: region } : {}),
    ...(chosen ? { shippingOptionId: chosen.id } : {}),
    ...(promotionCode ? { promotionCode } : {}),
  });
  const page = checkoutPage(await ctx.view(), { cart, form: { ...form, country }, errors: input.errors, alert: input.alert, shipping, idempotencyKey: input.key, signedInEmail: me?.email ?? null, weightGrams, quote, promotionCode });
  return ctx.render(reply.header('cache-control', 'no-store'), { ...page, status: input.status ?? 200 });
}

/** Checkout, the order page (live), the sandbox's 3-D Secure page, and "try another card". */
export function checkoutRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get('/checkout', async (request, reply) => {
      const ctx = contextFor(site, request);
      const kept = ctx.shopper.cookies[KEY_COOKIE];
      const key = kept && KEY_PATTERN.test(kept) ? kept : `sf-${randomUUID()}`;
      return renderCheckout(site, ctx, reply, { form: {}, errors: {}, key });
    });

    app.post<{ Body: Record<string, string | undefined> }>('/checkout', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      const b = request.body ?? {};
      const form: CheckoutForm = {
        email: b.email?.trim(), name: b.name, line1: b.line1, line2: b.line2, city: b.city, postalCode: b.postalCode,
        country: b.country, region: b.region, phone: b.phone, shippingOptionId: b.shippingOptionId, card: b.card,
      };
      const key = b.idempotencyKey && KEY_PATTERN.test(b.idempotencyKey) ? b.idempotencyKey : `sf-${randomUUID()}`;
      const errors: FieldErrors = {};
      if (!form.card?.replace(/\s+/g, '')) errors.card = 'Card number is required: use one of the test cards below.';
      if (!form.shippingOptionId) errors.shippingOptionId = 'Choose a shipping option.';
      if (Object.keys(errors).length) return renderCheckout(site, ctx, reply, { form, errors, key, status: 422 });
      const optional = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
      try {
        const placed = await placeOrder(
          ctx.shopper,
          {
            ...(ctx.shopper.signedIn ? {} : { email: form.email ?? '' }),
            shippingAddress: {
              name: form.name?.trim() ?? '',
              line1: form.line1?.trim() ?? '',
              ...(optional(form.line2) ? { line2: optional(form.line2) } : {}),
              city: form.city?.trim() ?? '',
              postalCode: form.postalCode?.trim() ?? '',
              country: form.country ?? '',
              ...(optional(form.region) ? { region: optional(form.region) } : {}),
              ...(optional(form.phone) ? { phone: optional(form.phone) } : {}),
            },
            shippingOptionId: form.shippingOptionId!,
            paymentMethod: form.card!.replace(/\s+/g, ''),
            ...(ctx.shopper.cookies[PROMO_COOKIE] ? { promotionCode: ctx.shopper.cookies[PROMO_COOKIE] } : {}),
          },
          key,
        );
        appendSetCookies(reply, [
          cookieLine(KEY_COOKIE, '', { maxAgeSeconds: 0, secure: site.config.COOKIE_SECURE }),
          cookieLine(PROMO_COOKIE, '', { maxAgeSeconds: 0, secure: site.config.COOKIE_SECURE }),
        ]);
        return ctx.redirect(reply, `/orders/${placed.orderId}${placed.orderToken ? `?token=${encodeURIComponent(placed.orderToken)}` : ''}`);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
        const fieldErrors = fieldErrorsFrom(e.details, CHECKOUT_LABELS);
        if (fieldErrors.paymentMethod) fieldErrors.card = fieldErrors.paymentMethod;
        if (/COUNTRY|REGION_MISMATCH/.test(e.code)) fieldErrors.country = e.message;
        const alert = Object.keys(fieldErrors).length ? 'Please correct the fields marked below.' : e.message;
        return renderCheckout(site, ctx, reply, { form, errors: fieldErrors, alert, key, status: e.status === 400 ? 422 : e.status });
      }
    });

    app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
      const ctx = contextFor(site, request);
      const token = tokenFrom(request.query);
      const order = ORDER_ID.test(request.params.id) ? await getOrder(ctx.shopper, request.params.id, token) : null;
      if (!order) return ctx.render(reply, notFoundPage());
      return renderOrderPage(ctx, reply, order, token);
    });

    // The order was cancelled with its stock released: its lines go back in the cart for a new attempt.
    app.post<{ Params: { id: string } }>('/orders/:id/retry', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      const order = ORDER_ID.test(request.params.id) ? await getOrder(ctx.shopper, request.params.id, tokenFrom(request.query)) : null;
      if (!order) return ctx.render(reply, notFoundPage());
      const cart = await getCart(ctx.shopper);
      for (const line of order.lines) {
        if (cart.lines.some((l) => l.variantId === line.variantId)) continue;
        await addToCart(ctx.shopper, line.variantId, line.quantity).catch(() => undefined);
      }
      appendSetCookies(reply, [cookieLine(KEY_COOKIE, '', { maxAgeSeconds: 0, secure: site.config.COOKIE_SECURE })]);
      return ctx.redirect(reply, '/checkout');
    });

    app.get<{ Params: { id: string } }>('/checkout/authenticate/:id', async (request, reply) => {
      const ctx = contextFor(site, request);
      const token = tokenFrom(request.query);
      const order = ORDER_ID.test(request.params.id) ? await getOrder(ctx.shopper, request.params.id, token) : null;
      if (!order) return ctx.render(reply, notFoundPage());
      return ctx.render(reply.header('cache-control', 'no-store'), authenticatePage(await ctx.view(), order, token));
    });

    app.post<{ Params: { id: string }; Body: { result?: string } }>('/checkout/authenticate/:id', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      const token = tokenFrom(request.query);
      const order = ORDER_ID.test(request.params.id) ? await getOrder(ctx.shopper, request.params.id, token) : null;
      if (!order) return ctx.render(reply, notFoundPage());
      const result = request.body?.result === 'approved' ? 'approved' : 'refused';
      // Already answered (a double click, a back button): the order page shows where it stands.
      await answerSandboxAuthentication(ctx.shopper, order.id, result, token).catch((e: unknown) => {
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
      });
      return ctx.redirect(reply, `/orders/${order.id}${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    });
  };
}
