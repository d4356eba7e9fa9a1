import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../../shared/http/auth.ts';
import type { ZodTypeProvider } from '@shop/platform';
import type { CatalogContext } from '../application/catalog.context.ts';
import { createProduct } from '../application/create-product.ts';
import { deleteProduct } from '../application/delete-product.ts';
import { getAdminProduct } from '../application/get-admin-product.ts';
import { listProducts } from '../application/list-products.ts';
import { updateProduct } from '../application/update-product.ts';
import { unwrap } from './catalog.http-errors.ts';
import {
  adminProductDetailSchema,
  adminProductListQuery,
  createProductBody,
  deleted,
  idParams,
  productPageSchema,
  updateProductBody,
} from './catalog.schemas.ts';
import { toProductListQuery } from './product-list-query.ts';

export async function adminProductRoutes(app: FastifyInstance, ctx: CatalogContext, caller: (request: FastifyRequest) => Principal): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog admin'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
  const read = { permission: 'catalog.read' } as const;

  r.get(
    '/products',
    { config: read, schema: { tags, security, summary: 'All products, drafts included', querystring: adminProductListQuery, response: { 200: productPageSchema } } },
    async (request) => unwrap(await listProducts(ctx, { ...toProductListQuery(request.query), includeDrafts: true })),
  );

  r.post(
    '/products',
    { schema: { tags, security, summary: 'Create a product (a draft unless status says otherwise)', body: createProductBody, response: { 201: adminProductDetailSchema } } },
    async (request, reply) => reply.status(201).send(unwrap(await createProduct(ctx, request.body, caller(request)))),
  );

  r.get(
    '/products/:id',
    { config: read, schema: { tags, security, summary: 'A product with stock figures', params: idParams, response: { 200: adminProductDetailSchema } } },
    async (request) => unwrap(await getAdminProduct(ctx, request.params.id)),
  );

  r.patch(
    '/products/:id',
    { schema: { tags, security, summary: 'Change some fields of a product', params: idParams, body: updateProductBody, response: { 200: adminProductDetailSchema } } },
    async (request) => unwrap(await updateProduct(ctx, request.params.id, request.body, caller(request))),
  );

  r.delete(
    '/products/:id',
    { schema: { tags, security, summary: 'Delete a product and its variants', params: idParams, response: { 204: deleted } } },
    async (request, reply) => {
      unwrap(await deleteProduct(ctx, request.params.id, caller(request)));
      return reply.status(204).send(null);
    },
  );
}
