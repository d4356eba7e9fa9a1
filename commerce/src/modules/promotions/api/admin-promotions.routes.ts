import { HttpError, type ZodTypeProvider } from '@shop/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { createPromotion } from '../application/create-promotion.ts';
import type { PromotionsContext } from '../application/promotions.context.ts';
import { createPromotionBody, errorResponses, promotionSchema, toPromotionView } from './promotions.schemas.ts';

const SIGNED_IN: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
const date = (v: string | null) => (v === null ? null : new Date(v));

/** The back office's promotions, under `/api/admin`: staff read them, admins create and disable them. */
export function adminPromotionRoutes(ctx: PromotionsContext, auth: Authenticator) {
  const tags = ['admin'];
  return async (root: FastifyInstance): Promise<void> => {
    guardPermission(root, auth, 'promotions.write');
    const app = root.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/promotions',
      {
        config: { permission: 'promotions.read' },
        schema: {
          tags,
          security: SIGNED_IN,
          summary: 'Promotions, newest first, with how often each was used',
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(200) }),
          response: { 200: z.object({ promotions: z.array(promotionSchema) }), ...errorResponses },
        },
      },
      async (request) => ({ promotions: (await ctx.promotions.list(ctx.db, request.query.limit)).map(toPromotionView) }),
    );
    app.post(
      '/promotions',
      {
        schema: {
          tags,
          security: SIGNED_IN,
          summary: 'Create a discount code (or an automatic promotion, with code null)',
          body: createPromotionBody,
          response: { 201: promotionSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const created = await createPromotion(ctx, { ...b, startsAt: date(b.startsAt), endsAt: date(b.endsAt) });
        if (!created.ok) throw new HttpError(409, created.error.code, created.error.message);
        return reply.status(201).send(toPromotionView(created.value));
      },
    );
    app.post(
      '/promotions/:id/disable',
      {
        schema: {
          tags,
          security: SIGNED_IN,
          summary: 'Disable a promotion now (idempotent): checkouts from then on no longer apply it',
          params: z.object({ id: z.uuid({ message: 'must be a promotion id (uuid)' }) }),
          response: { 200: promotionSchema, ...errorResponses },
        },
      },
      async (request) => {
        const disabled = await ctx.promotions.disable(ctx.db, request.params.id, ctx.now());
        if (!disabled) throw new HttpError(404, 'PROMOTIONS.NOT_FOUND', `No promotion ${request.params.id}`);
        return toPromotionView(disabled);
      },
    );
  };
}
