import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import type { Principal } from '../../../shared/http/auth.ts';
import { adjustStock } from '../application/adjust-stock.ts';
import type { CatalogContext } from '../application/catalog.context.ts';
import { createVariant } from '../application/create-variant.ts';
import { deleteVariant } from '../application/delete-variant.ts';
import { listStockAdjustments } from '../application/list-stock-adjustments.ts';
import { updateVariant } from '../application/update-variant.ts';
import { unwrap } from './catalog.http-errors.ts';
import {
  adminVariantSchema,
  createVariantBody,
  deleted,
  idParams,
  stockAdjustmentBody,
  stockAdjustmentListQuery,
  stockAdjustmentListSchema,
  stockAdjustmentSchema,
  updateVariantBody,
} from './catalog.schemas.ts';

export async function adminVariantRoutes(
  app: FastifyInstance,
  ctx: CatalogContext,
  caller: (request: FastifyRequest) => Principal,
): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog admin'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

  r.post(
    '/products/:id/variants',
    { schema: { tags, security, summary: 'Add a variant (SKU) to a product', params: idParams, body: createVariantBody, response: { 201: adminVariantSchema } } },
    async (request, reply) =>
      reply.status(201).send(unwrap(await createVariant(ctx, request.params.id, request.body, caller(request)))),
  );

  r.patch(
    '/variants/:id',
    { schema: { tags, security, summary: 'Change a variant (not its stock)', params: idParams, body: updateVariantBody, response: { 200: adminVariantSchema } } },
    async (request) => unwrap(await updateVariant(ctx, request.params.id, request.body, caller(request))),
  );

  r.delete(
    '/variants/:id',
    { schema: { tags, security, summary: 'Delete a variant without reserved stock', params: idParams, response: { 204: deleted } } },
    async (request, reply) => {
      unwrap(await deleteVariant(ctx, request.params.id, caller(request)));
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/variants/:id/stock-adjustments',
    {
      config: { permission: 'catalog.stock' },
      schema: {
        tags,
        security,
        summary: 'Move on-hand stock, audited; never below reserved',
        params: idParams,
        body: stockAdjustmentBody,
        response: { 201: stockAdjustmentSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(unwrap(await adjustStock(ctx, request.params.id, request.body, caller(request)))),
  );

  r.get(
    '/variants/:id/stock-adjustments',
    {
      config: { permission: 'catalog.read' },
      schema: {
        tags,
        security,
        summary: 'Recent stock adjustments, newest first',
        params: idParams,
        querystring: stockAdjustmentListQuery,
        response: { 200: stockAdjustmentListSchema },
      },
    },
    async (request) => ({ items: unwrap(await listStockAdjustments(ctx, request.params.id, request.query.limit)) }),
  );
}
