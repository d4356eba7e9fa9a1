import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import type { CatalogContext } from '../application/catalog.context.ts';
import { getProduct } from '../application/get-product.ts';
import { listCategoryTree } from '../application/list-categories.ts';
import { listProducts } from '../application/list-products.ts';
import { cachedAnswer } from './cached-answer.ts';
import { toProductListQuery } from './product-list-query.ts';
import { categoryTreeSchema, idOrSlugParams, productDetailSchema, productListQuery, productPageSchema } from './catalog.schemas.ts';

/** What anyone may read: published products only, no stock ledger. */
export async function shopperRoutes(app: FastifyInstance, ctx: CatalogContext): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog'];

  r.get(
    '/products',
    { schema: { tags, summary: 'Search and browse published products', querystring: productListQuery, response: { 200: productPageSchema } } },
    async (request, reply) => {
      const query = toProductListQuery(request.query);
      return cachedAnswer(ctx, reply, `list:${JSON.stringify(query)}`, productPageSchema, () => listProducts(ctx, query));
    },
  );

  r.get(
    '/products/:idOrSlug',
    { schema: { tags, summary: 'A published product by id or slug', params: idOrSlugParams, response: { 200: productDetailSchema } } },
    async (request, reply) =>
      cachedAnswer(ctx, reply, `product:${request.params.idOrSlug}`, productDetailSchema, () => getProduct(ctx, request.params.idOrSlug)),
  );

  r.get(
    '/categories',
    { schema: { tags, summary: 'The category tree', response: { 200: categoryTreeSchema } } },
    async () => ({ items: await listCategoryTree(ctx) }),
  );
}
