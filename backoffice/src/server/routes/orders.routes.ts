import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '@shop/web';
import { money } from '../../components/money.ts';
import { cancelOrder, getAdminOrder, listOrders, refundOrder, resendConfirmation, type OrderFilters, type RefundInput } from '../../data/orders.ts';
import { orderDocuments } from '../../data/invoices.ts';
import type { Me } from '../../data/staff.ts';
import { orderDetailPage } from '../../pages/order-detail.ts';
import { ordersPage } from '../../pages/orders.ts';
import { notFoundPage } from '../../pages/status.ts';
import { can, contextFor, formAllowed, requirePermission, type RequestContext, type Site } from '../context.ts';
import { all, one, type FormBody } from './form-values.ts';

/** The refund form field an API validation detail names (`body.reason` → `reason`, `body.amountMinor` → `amount`). */
function apiFieldName(details: unknown): string | undefined {
  const first = Array.isArray(details) ? (details[0] as { field?: string } | undefined)?.field : undefined;
  const name = String(first ?? '').split('.').pop();
  return name === 'reason' ? 'reason' : name === 'amountMinor' ? 'amount' : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** A date input's day as the API's instant: from its midnight (UTC), as the list says. */
const dayStart = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00.000Z` : undefined);

/** The amount field in major units ("5", "5.5", "5,50") as minor units; NaN when it is not one. */
function minorUnits(value: string): number {
  const m = /^\s*(\d{1,12})(?:[.,](\d{1,2}))?\s*$/.exec(value);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : Number.NaN;
}

/** What a form got wrong: a message, for one field or the whole form. */
class FormRefusal extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The refund the form asks for, or a message saying what is missing. */
function refundFrom(body: FormBody): RefundInput | FormRefusal {
  const reason = one(body, 'reason').trim();
  if (!reason) return new FormRefusal('Say why you refund: the reason goes into the order history and the audit log.', 'reason');
  if (one(body, 'confirm') !== 'yes') return new FormRefusal('Tick "I have checked the refund" to confirm it.');
  const kind = one(body, 'kind');
  if (kind === 'full') return { full: true, reason };
  if (kind === 'amount') {
    const amountMinor = minorUnits(one(body, 'amount'));
    return Number.isFinite(amountMinor) && amountMinor > 0 ? { amountMinor, reason } : new FormRefusal('Enter the amount to refund, e.g. 5.00.', 'amount');
  }
  const variants = all(body, 'variant');
  const quantities = all(body, 'quantity');
  const lines = variants
    .map((variantId, i) => ({ variantId, quantity: Number(quantities[i] ?? 0) }))
    .filter((l) => UUID.test(l.variantId) && Number.isInteger(l.quantity) && l.quantity > 0);
  const shipping = one(body, 'shipping') === 'yes';
  if (lines.length === 0 && !shipping) return new FormRefusal('Choose at least one unit (or shipping) to refund.');
  return { lines, shipping, reason };
}

export function orderRoutes(site: Site) {
  async function showOrder(
    ctx: RequestContext,
    reply: FastifyReply,
    me: Me,
    id: string,
    extra: { error?: string; fieldErrors?: Record<string, string>; status?: number; flash?: string } = {},
  ) {
    let order;
    let documents;
    try {
      [order, documents] = await Promise.all([getAdminOrder(ctx.staff, id), orderDocuments(ctx.staff, id)]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return ctx.render(reply, notFoundPage(), me);
      throw error;
    }
    const page = orderDetailPage({
      order,
      documents,
      locale: ctx.staff.locale,
      csrf: ctx.staff.cookies.csrf_token ?? '',
      can: { manage: can(me, 'orders.manage'), refund: can(me, 'orders.refund'), ship: can(me, 'shipments.manage') },
      keys: { refund: randomUUID(), resend: randomUUID() },
      error: extra.error,
      fieldErrors: extra.fieldErrors,
      flash: extra.flash,
    });
    return ctx.render(reply, { ...page, status: extra.status ?? 200 }, me);
  }

  /** Runs a form's action for a signed-in user with `permission`; the API's refusal is shown on the order page. */
  async function act(
    request: FastifyRequest<{ Params: { id: string }; Body: FormBody }>,
    reply: FastifyReply,
    permission: string,
    action: (ctx: RequestContext, id: string, body: FormBody) => Promise<string>,
  ) {
    const ctx = contextFor(site, request);
    const me = await requirePermission(ctx, request, reply, permission);
    if (!me) return reply;
    if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
    const id = request.params.id;
    if (!UUID.test(id)) return ctx.render(reply, notFoundPage(), me);
    try {
      const done = await action(ctx, id, request.body ?? {});
      return ctx.redirect(reply, `/orders/${id}?done=${encodeURIComponent(done)}`);
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) {
        const body = request.body ?? {};
        // The API's refusal of an amount or a reason belongs next to that field; the code stays in the summary above.
        const field =
          error.code === 'ORDERS.REFUND_EXCEEDS_CAPTURED' && one(body, 'kind') === 'amount' ? 'amount' : apiFieldName(error.details);
        const message = `${error.message} (${error.code})`;
        return showOrder(ctx, reply, me, id, { error: message, fieldErrors: field ? { [field]: error.message } : {}, status: error.status });
      }
      if (error instanceof FormRefusal) {
        return showOrder(ctx, reply, me, id, { error: error.message, fieldErrors: error.field ? { [error.field]: error.message } : {}, status: 400 });
      }
      throw error;
    }
  }

  return async (app: FastifyInstance) => {
    app.get<{ Querystring: Record<string, string | undefined> }>('/orders', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'orders.read');
      if (!me) return reply;
      const q = request.query;
      const filters: OrderFilters = {
        status: text(q.status),
        email: text(q.email),
        number: text(q.number),
        customerId: text(q.customerId),
        from: dayStart(q.from),
        to: dayStart(q.to),
        cursor: text(q.cursor),
      };
      try {
        const page = await listOrders(ctx.staff, filters);
        return ctx.render(reply, ordersPage({ locale: ctx.staff.locale, filters, orders: page.orders, nextCursor: page.nextCursor }), me);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        const page = ordersPage({ locale: ctx.staff.locale, filters, orders: [], nextCursor: null, error: error.message });
        return ctx.render(reply, { ...page, status: 400 }, me);
      }
    });

    app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'orders.read');
      if (!me) return reply;
      return showOrder(ctx, reply, me, request.params.id);
    });

    app.post<{ Params: { id: string }; Body: FormBody }>('/orders/:id/cancel', (request, reply) =>
      act(request, reply, 'orders.manage', async (ctx, id) => {
        const order = await cancelOrder(ctx.staff, id);
        return `Order ${order.orderNumber} cancelled`;
      }),
    );

    app.post<{ Params: { id: string }; Body: FormBody }>('/orders/:id/refunds', (request, reply) =>
      act(request, reply, 'orders.refund', async (ctx, id, body) => {
        const input = refundFrom(body);
        if (input instanceof FormRefusal) throw input;
        const key = /^[\w-]{8,200}$/.test(one(body, 'key')) ? one(body, 'key') : randomUUID();
        const refund = await refundOrder(ctx.staff, id, input, key);
        return `Refund of ${money(refund.amountMinor, refund.currency, ctx.staff.locale)} ${refund.status === 'refunded' ? 'paid out' : 'requested: payments pays it out in a moment'}`;
      }),
    );

    app.post<{ Params: { id: string }; Body: FormBody }>('/orders/:id/resend-confirmation', (request, reply) =>
      act(request, reply, 'orders.manage', async (ctx, id, body) => {
        const key = /^[\w-]{8,200}$/.test(one(body, 'key')) ? one(body, 'key') : randomUUID();
        const sent = await resendConfirmation(ctx.staff, id, key);
        return sent.duplicate ? `The confirmation was already sent again to ${sent.to}` : `Confirmation sent again to ${sent.to}`;
      }),
    );
  };
}
