import type { FastifyInstance } from 'fastify';
import { ApiError } from '@shop/web';
import { getCustomer, listCustomers } from '../../data/customers.ts';
import { customerPage, customersPage } from '../../pages/customers.ts';
import { notFoundPage } from '../../pages/status.ts';
import { contextFor, requirePermission, type Site } from '../context.ts';

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 320) : undefined);

export function customerRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get<{ Querystring: { search?: string; cursor?: string } }>('/customers', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'customers.read');
      if (!me) return reply;
      const search = text(request.query.search);
      const cursor = text(request.query.cursor);
      try {
        const page = await listCustomers(ctx.staff, { search, cursor });
        return ctx.render(reply, customersPage({ locale: ctx.staff.locale, search, cursor, customers: page.customers, nextCursor: page.nextCursor }), me);
      } catch (error) {
        if (error instanceof ApiError && error.status === 400) return ctx.redirect(reply, '/customers');
        throw error;
      }
    });

    app.get<{ Params: { id: string } }>('/customers/:id', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'customers.read');
      if (!me) return reply;
      const customer = await getCustomer(ctx.staff, request.params.id);
      if (!customer) return ctx.render(reply, notFoundPage(), me);
      return ctx.render(reply, customerPage({ locale: ctx.staff.locale, customer }), me);
    });
  };
}
