import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import type { Sql } from '../../../shared/database/database.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { CatalogContext } from '../application/catalog.context.ts';
import { getProduct } from '../application/get-product.ts';
import { listCategoryTree } from '../application/list-categories.ts';
import { listProducts } from '../application/list-products.ts';
import { unwrap } from './catalog.http-errors.ts';
import { toProductListQuery } from './product-list-query.ts';
import { categoryTreeSchema, idOrSlugParams, productDetailSchema, productListQuery, productPageSchema } from './catalog.schemas.ts';

/**
 * What anyone may read: published products only, no stock ledger. Shoppers read from
 * `ctx.shopperReads` (a standby when configured, which may lag); signed-in staff and admins read
 * the primary, uncached, so a change they just made shows on their next read.
 */
export async function shopperRoutes(app: FastifyInstance, ctx: CatalogContext, auth: Authenticator): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['catalog'];
  const from = async (request: FastifyRequest): Promise<Sql> => {
    const role = (await auth.identify(request))?.role;
    return role === 'staff' || role === 'admin' ? ctx.db : ctx.shopperReads;
  };

  r.get(
    '/products',
    { schema: { tags, summary: 'Search and browse published products', querystring: productListQuery, response: { 200: productPageSchema } } },
    async (request) => unwrap(await listProducts(ctx, toProductListQuery(request.query), await from(request))),
  );

  r.get(
    '/products/:idOrSlug',
    { schema: { tags, summary: 'A published product by id or slug', params: idOrSlugParams, response: { 200: productDetailSchema } } },
    async (request) => unwrap(await getProduct(ctx, request.params.idOrSlug, await from(request))),
  );

  r.get(
    '/categories',
    { schema: { tags, summary: 'The category tree', response: { 200: categoryTreeSchema } } },
    async (request) => ({ items: await listCategoryTree(ctx, await from(request)) }),
  );
}
