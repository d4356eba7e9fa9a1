import type { FastifyInstance, FastifyReply } from 'fastify';
import { addAddress, deleteAddress, getMe, listAddresses, register, signIn, signOut } from '../../data/account.ts';
import { listMyOrders } from '../../data/orders.ts';
import { ApiError } from '../../data/shopper.ts';
import { fieldErrorsFrom, type FieldErrors } from '@shop/web';
import { accountPage, signInPage } from '../../pages/account.ts';
import { contextFor, formAllowed, type RequestContext, type Site } from '../context.ts';

type Form = Record<string, string | undefined>;
const LABELS = { email: 'Email', password: 'Password', name: 'Full name', line1: 'Address', city: 'City', postalCode: 'Postal code', country: 'Country' };

/** Only a path on this site: `next` must not send the shopper elsewhere. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/(?![/\\])[\w\-/?=&.%#]*$/.test(next) ? next : '/account');

async function renderAccount(ctx: RequestContext, reply: FastifyReply, errors: FieldErrors = {}, alert?: string) {
  const me = await getMe(ctx.shopper);
  if (!me) return ctx.redirect(reply, '/account/sign-in');
  const [orders, addresses] = await Promise.all([listMyOrders(ctx.shopper), listAddresses(ctx.shopper)]);
  const page = accountPage(await ctx.view(), me, orders.orders, addresses, errors, alert);
  return ctx.render(reply.header('cache-control', 'no-store'), { ...page, status: alert ? 422 : 200 });
}

export function accountRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get('/account', async (request, reply) => renderAccount(contextFor(site, request), reply));
    app.get('/account/orders', async (_request, reply) => reply.redirect('/account#orders', 302));

    for (const mode of ['sign-in', 'register'] as const) {
      app.get<{ Querystring: { next?: string } }>(`/account/${mode}`, async (request, reply) => {
        const ctx = contextFor(site, request);
        if (ctx.shopper.signedIn && (await getMe(ctx.shopper))) return ctx.redirect(reply, safeNext(request.query.next));
        return ctx.render(reply, signInPage(await ctx.view(), mode, { errors: {}, next: request.query.next }));
      });
      app.post<{ Body: Form; Querystring: { next?: string } }>(`/account/${mode}`, async (request, reply) => {
        const ctx = contextFor(site, request);
        if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
        const email = request.body?.email?.trim() ?? '';
        const password = request.body?.password ?? '';
        try {
          if (mode === 'register') await register(ctx.shopper, email, password);
          // Signing in carries the guest cart cookie: the API merges that cart into the account's.
          await signIn(ctx.shopper, email, password);
          return ctx.redirect(reply, safeNext(request.query.next));
        } catch (e) {
          if (!(e instanceof ApiError) || e.status >= 500) throw e;
          const errors = fieldErrorsFrom(e.details, LABELS);
          const alert = e.status === 401 ? 'That email and password do not match an account.' : Object.keys(errors).length ? undefined : e.message;
          const page = signInPage(await ctx.view(), mode, { email, errors, alert, next: request.query.next });
          return ctx.render(reply, { ...page, status: e.status === 429 ? 429 : 422 });
        }
      });
    }

    app.post('/account/sign-out', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      await signOut(ctx.shopper).catch(() => undefined);
      return ctx.redirect(reply, '/');
    });

    app.post<{ Body: Form }>('/account/addresses', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      const b = request.body ?? {};
      try {
        await addAddress(ctx.shopper, { name: b.name ?? '', line1: b.line1 ?? '', city: b.city ?? '', postalCode: b.postalCode ?? '', country: b.country ?? '' });
        return ctx.redirect(reply, '/account#addresses');
      } catch (e) {
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
        return renderAccount(ctx, reply, fieldErrorsFrom(e.details, LABELS), e.details ? 'Please correct the address.' : e.message);
      }
    });

    app.post<{ Params: { id: string } }>('/account/addresses/:id/delete', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form expired: reload the page and try again.');
      await deleteAddress(ctx.shopper, request.params.id).catch((e: unknown) => {
        if (!(e instanceof ApiError) || e.status >= 500) throw e;
      });
      return ctx.redirect(reply, '/account#addresses');
    });
  };
}
