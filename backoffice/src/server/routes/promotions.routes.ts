import type { FastifyInstance } from 'fastify';
import { ApiError, apiFieldErrors } from '@shop/web';
import { createPromotion, disablePromotion, listPromotions, regionsWithRates, type NewPromotion } from '../../data/promotions.ts';
import { currencyDigits } from '../../components/money.ts';
import { PROMOTION_LABELS, promotionsPage } from '../../pages/promotions.ts';
import { regionsPage } from '../../pages/regions.ts';
import { can, contextFor, formAllowed, requirePermission, type Site } from '../context.ts';
import { one, type FormBody } from './form-values.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Form text to the API's body. Amounts typed in major units become minor units; a value the form cannot read goes as NaN-free text so the API names the field. */
function bodyOf(values: Record<string, string>): NewPromotion {
  const currency = values.currency?.trim().toUpperCase() || null;
  const digits = currencyDigits(currency && /^[A-Z]{3}$/.test(currency) ? currency : 'EUR');
  const minor = (text: string | undefined) => (text?.trim() ? Math.round(Number(text.replace(',', '.')) * 10 ** digits) : 0);
  const count = (text: string | undefined) => (text?.trim() ? Number(text) : null);
  const when = (text: string | undefined) => (text?.trim() ? `${text.length === 16 ? `${text}:00` : text}Z` : null);
  const kind = (values.kind ?? 'percentage') as NewPromotion['kind'];
  const value = kind === 'percentage' ? Math.round(Number((values.value ?? '').replace(',', '.')) * 100) : kind === 'fixed_amount' ? minor(values.value) : 0;
  return {
    code: values.code?.trim() ? values.code.trim() : null,
    name: values.name ?? '',
    kind,
    value: Number.isFinite(value) ? value : -1,
    currency,
    minSubtotalMinor: Number.isFinite(minor(values.minSubtotalMinor)) ? minor(values.minSubtotalMinor) : -1,
    startsAt: when(values.startsAt),
    endsAt: when(values.endsAt),
    usageLimit: count(values.usageLimit),
    perCustomerLimit: count(values.perCustomerLimit),
  };
}

/** Promotions (list for promotions.read; create and disable for promotions.write) and the regions view (pricing.read). */
export function promotionRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get('/promotions', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'promotions.read');
      if (!me) return reply;
      return ctx.render(reply, promotionsPage({ csrf: ctx.staff.cookies.csrf_token ?? '', locale: ctx.staff.locale, promotions: await listPromotions(ctx.staff), canWrite: can(me, 'promotions.write') }), me);
    });

    app.post('/promotions', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
      const me = await requirePermission(ctx, request, reply, 'promotions.write');
      if (!me) return reply;
      const form = (request.body as FormBody) ?? {};
      const values = Object.fromEntries(Object.keys(PROMOTION_LABELS).map((k) => [k, one(form, k)])) as Record<string, string>;
      try {
        const created = await createPromotion(ctx.staff, bodyOf(values));
        return ctx.redirect(reply, `/promotions?done=${encodeURIComponent(`Promotion ${created.code ?? created.name} created`)}`);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) throw error;
        const { fields, form: message } = apiFieldErrors(error, PROMOTION_LABELS);
        const problem = { form: 'new', fields, message: message ?? 'Please correct the fields marked below.', values };
        return ctx.render(reply, promotionsPage({ csrf: ctx.staff.cookies.csrf_token ?? '', locale: ctx.staff.locale, promotions: await listPromotions(ctx.staff), canWrite: true, problem }), me);
      }
    });

    app.post<{ Params: { id: string } }>('/promotions/:id/disable', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
      const me = await requirePermission(ctx, request, reply, 'promotions.write');
      if (!me) return reply;
      if (!uuid.test(request.params.id)) return ctx.redirect(reply, '/promotions');
      const disabled = await disablePromotion(ctx.staff, request.params.id);
      return ctx.redirect(reply, `/promotions?done=${encodeURIComponent(`Promotion ${disabled.code ?? disabled.name} disabled`)}`);
    });

    app.get('/regions', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'pricing.read');
      if (!me) return reply;
      return ctx.render(reply, regionsPage({ view: await regionsWithRates(ctx.staff) }), me);
    });
  };
}
