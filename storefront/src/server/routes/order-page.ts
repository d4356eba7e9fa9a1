import type { FastifyReply } from 'fastify';
import { listDocuments } from '../../data/invoices.ts';
import type { Order } from '../../data/orders.ts';
import { getPaymentState } from '../../data/payments.ts';
import { getReturns } from '../../data/returns.ts';
import { orderPage, type ReturnFormState } from '../../pages/order.ts';
import type { RequestContext } from '../context.ts';

/** The order page with everything it shows: payment, returns and documents, read in parallel. */
export async function renderOrderPage(ctx: RequestContext, reply: FastifyReply, order: Order, token: string | undefined, form?: ReturnFormState) {
  const [payment, returns, documents] = await Promise.all([
    getPaymentState(ctx.shopper, order.id, token),
    getReturns(ctx.shopper, order.id, token),
    listDocuments(ctx.shopper, order.id, token),
  ]);
  const page = orderPage(await ctx.view(), order, token, payment, { returns, documents, form });
  return ctx.render(reply.status(form?.alert ? 422 : 200).header('cache-control', 'no-store'), page);
}
