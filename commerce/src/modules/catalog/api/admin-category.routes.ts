import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../../shared/http/auth.ts';
import type { ZodTypeProvider } from '@shop/platform';
import type { CatalogContext } from '../application/catalog.context.ts';
import { createCategory } from '../application/create-category.ts';
import { deleteCategory } from '../application/delete-category.ts';
import { updateCategory } from '../application/update-category.ts';
import { unwrap } from './catalog.http-errors.ts';
import { categorySchema, createCategoryBody, deleted, idParams, updateCategoryBody } from './catalog.schemas.ts';

export async function adminCategoryRoutes(app: FastifyInstance, ctx: CatalogContext, caller: (request: FastifyRequest) => Principal): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog admin'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

  r.post(
    '/categories',
    { schema: { tags, security, summary: 'Create a category, optionally under a parent', body: createCategoryBody, response: { 201: categorySchema } } },
    async (request, reply) => reply.status(201).send(unwrap(await createCategory(ctx, request.body, caller(request)))),
  );

  r.patch(
    '/categories/:id',
    { schema: { tags, security, summary: 'Rename or move a category', params: idParams, body: updateCategoryBody, response: { 200: categorySchema } } },
    async (request) => unwrap(await updateCategory(ctx, request.params.id, request.body, caller(request))),
  );

  r.delete(
    '/categories/:id',
    { schema: { tags, security, summary: 'Delete an empty category', params: idParams, response: { 204: deleted } } },
    async (request, reply) => {
      unwrap(await deleteCategory(ctx, request.params.id, caller(request)));
      return reply.status(204).send(null);
    },
  );
}
