import type { FastifyInstance } from 'fastify';
import { ApiError } from '@shop/web';
import { getMe, signIn, signOut } from '../../data/staff.ts';
import { signInPage } from '../../pages/sign-in.ts';
import { contextFor, formAllowed, type Site } from '../context.ts';

/** Only paths of this site: `next` never sends anyone elsewhere after signing in. */
const safeNext = (next: unknown) => (typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/');

export function sessionRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { next?: string } }>('/sign-in', async (request, reply) => {
      const ctx = contextFor(site, request);
      const next = safeNext(request.query.next);
      const me = await getMe(ctx.staff);
      if (me && (me.role === 'admin' || me.role === 'staff')) return ctx.redirect(reply, next);
      return ctx.render(reply, signInPage({ next, shopName: site.config.SHOP_NAME }), null);
    });

    app.post<{ Body: Record<string, string> }>('/sign-in', async (request, reply) => {
      const ctx = contextFor(site, request);
      const body = request.body ?? {};
      const next = safeNext(body.next);
      const email = String(body.email ?? '').trim();
      const page = (error: string, status = 400) => ctx.render(reply, { ...signInPage({ next, email, error, shopName: site.config.SHOP_NAME }), status }, null);
      if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
      if (!email || !body.password) return page('Enter your email and password.');
      try {
        const user = await signIn(ctx.staff, email, String(body.password));
        if (user.role !== 'admin' && user.role !== 'staff') {
          // A shopper's account: their session is of no use here, so it is ended at once.
          await signOut(ctx.staff);
          return page('This account has no back-office access.');
        }
        return ctx.redirect(reply, next);
      } catch (error) {
        if (error instanceof ApiError && error.status === 429) return page(error.message, 429);
        if (error instanceof ApiError && error.status < 500) return page('That email and password do not match an account.');
        throw error;
      }
    });

    app.post('/sign-out', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
      await signOut(ctx.staff);
      return ctx.redirect(reply, '/sign-in');
    });
  };
}
