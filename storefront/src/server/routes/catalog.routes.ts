import type { FastifyInstance } from 'fastify';
import { findCategory, getCategoryTree } from '../../data/categories.ts';
import { getProduct, listProducts } from '../../data/products.ts';
import { optionTerms, toProductQuery, type ListingState } from '../../components/listing.ts';
import { productArt } from '../../components/product-art.ts';
import { categoryPage } from '../../pages/category.ts';
import { homePage } from '../../pages/home.ts';
import { productPage } from '../../pages/product.ts';
import { searchPage } from '../../pages/search.ts';
import { notFoundPage } from '../../pages/status.ts';
import { contextFor, type Site } from '../context.ts';
import type { Region } from '../../data/pricing.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Catalog answers priced in the visitor's region (docs/adr/0080). */
const inRegion = (region: Region | null) => (region ? { region: region.id } : {});

function listingState(query: unknown): ListingState {
  const q = (query ?? {}) as Record<string, unknown>;
  const pick = (k: string) => (typeof q[k] === 'string' && (q[k] as string).length <= 1000 ? (q[k] as string).trim() || undefined : undefined);
  const category = pick('category');
  return { q: pick('q'), category: category && SLUG.test(category) ? category : undefined, sort: pick('sort'), min: pick('min'), max: pick('max'), instock: pick('instock'), option: optionTerms(q.option), cursor: pick('cursor') };
}

/** The browse path: every page here renders whole on the server and works without JavaScript. */
export function catalogRoutes(site: Site) {
  return async (app: FastifyInstance) => {
    app.get('/', async (request, reply) => {
      const ctx = contextFor(site, request);
      const [tree, region] = await Promise.all([getCategoryTree(ctx.shopper), ctx.region()]);
      // Two new arrivals from each department, so the front page shows the whole shop.
      const pages = await Promise.all(tree.slice(0, 4).map((c) => listProducts(ctx.shopper, { category: c.slug, sort: 'newest', inStock: 'true', limit: 2, ...inRegion(region) } as never)));
      const featured = [0, 1].flatMap((i) => pages.map((p) => p.items[i]).filter((p) => p !== undefined));
      return ctx.render(reply, homePage(await ctx.view(), featured, tree));
    });

    app.get<{ Params: { slug: string } }>('/c/:slug', async (request, reply) => {
      const ctx = contextFor(site, request);
      const found = SLUG.test(request.params.slug) ? findCategory(await getCategoryTree(ctx.shopper), request.params.slug) : null;
      if (!found) return ctx.render(reply, notFoundPage());
      const state = listingState(request.query);
      const page = await listProducts(ctx.shopper, toProductQuery(state, { category: found.node.slug, facets: 'true', ...inRegion(await ctx.region()) }));
      // The category and its parents come from the tree the shared document is kept with; the state from its URL.
      return ctx.renderShared(reply, page, (view, listed) => categoryPage(view, found.node, found.parents, state, listed));
    });

    app.get('/search', async (request, reply) => {
      const ctx = contextFor(site, request);
      const state = listingState(request.query);
      const page = state.q ? await listProducts(ctx.shopper, toProductQuery(state, { facets: 'true', ...(state.category ? { category: state.category } : {}), ...inRegion(await ctx.region()) })) : null;
      return ctx.render(reply, searchPage(await ctx.view(), state, page));
    });

    app.get<{ Params: { slug: string } }>('/p/:slug', async (request, reply) => {
      const ctx = contextFor(site, request);
      const product = SLUG.test(request.params.slug) ? await getProduct(ctx.shopper, request.params.slug, (await ctx.region())?.id) : null;
      if (!product) return ctx.render(reply, notFoundPage());
      return ctx.renderShared(reply, product, productPage);
    });

    app.get<{ Params: { file: string }; Querystring: { view?: string } }>('/img/p/:file', async (request, reply) => {
      const slug = request.params.file.replace(/\.svg$/, '');
      if (!request.params.file.endsWith('.svg') || !SLUG.test(slug) || slug.length > 200) return reply.status(404).send();
      return reply
        .header('content-type', 'image/svg+xml')
        .header('cache-control', 'public, max-age=604800')
        .send(productArt(slug, request.query.view === '1' ? 1 : 0));
    });
  };
}
