import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from '@shop/platform';
import type { Sql } from '../../../shared/database/database.ts';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { CatalogContext } from '../application/catalog.context.ts';
import { getProduct } from '../application/get-product.ts';
import { listCategoryTree } from '../application/list-categories.ts';
import { listProducts } from '../application/list-products.ts';
import { cachedAnswer } from './cached-answer.ts';
import { toHttpError, unwrap } from './catalog.http-errors.ts';
import { toProductListQuery } from './product-list-query.ts';
import { categoryTreeSchema, idOrSlugParams, productDetailSchema, productPageSchema, regionQuery, shopperProductListQuery } from './catalog.schemas.ts';
import { priceDetailIn, pricePageIn } from '../application/price-in-region.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { ok, type Result } from '@shop/platform/result';

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
  /** The currency to price in: `?region=`, else the request's region; null: the catalog's own prices. */
  const currencyOf = async (request: FastifyRequest, region: string | undefined): Promise<string | null> => {
    if (!ctx.prices) return null;
    if (region === undefined) return ctx.prices.currencyOf(request);
    const currency = await ctx.prices.currencyOfRegion(region);
    if (currency === null) throw toHttpError(catalogError('CATALOG.UNKNOWN_REGION', `region: no region ${region} (see GET /api/regions)`, 'region'));
    return currency;
  };
  const pricedIn = <T>(currency: string | null, price: (prices: NonNullable<CatalogContext['prices']>, currency: string, value: T) => Promise<T>) =>
    async (result: Result<T, CatalogError>): Promise<Result<T, CatalogError>> =>
      result.ok && currency !== null && ctx.prices ? ok(await price(ctx.prices, currency, result.value)) : result;

  r.get(
    '/products',
    { schema: { tags, summary: 'Search and browse published products, priced in the shopper\'s region', querystring: shopperProductListQuery, response: { 200: productPageSchema } } },
    async (request, reply) => {
      const { region, ...rest } = request.query;
      const query = toProductListQuery(rest);
      const [source, currency] = await Promise.all([from(request), currencyOf(request, region)]);
      const load = async () => pricedIn(currency, pricePageIn)(await listProducts(ctx, query, source));
      if (source !== ctx.shopperReads) return unwrap(await load());
      // The currency is part of the key: a JPY answer is never served to a EUR shopper.
      return cachedAnswer(ctx, reply, `list:${currency ?? ''}:${JSON.stringify(query)}`, productPageSchema, load, 'state');
    },
  );

  r.get(
    '/products/:idOrSlug',
    { schema: { tags, summary: 'A published product by id or slug, priced in the shopper\'s region', params: idOrSlugParams, querystring: regionQuery, response: { 200: productDetailSchema } } },
    async (request, reply) => {
      const { idOrSlug } = request.params;
      const [source, currency] = await Promise.all([from(request), currencyOf(request, request.query.region)]);
      const load = async () => pricedIn(currency, priceDetailIn)(await getProduct(ctx, idOrSlug, source));
      if (source !== ctx.shopperReads) return unwrap(await load());
      return cachedAnswer(ctx, reply, `product:${currency ?? ''}:${idOrSlug}`, productDetailSchema, load, 'counts');
    },
  );

  r.get(
    '/categories',
    { schema: { tags, summary: 'The category tree', response: { 200: categoryTreeSchema } } },
    async (request) => ({ items: await listCategoryTree(ctx, await from(request)) }),
  );
}
