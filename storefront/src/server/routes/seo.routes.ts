import type { FastifyInstance } from 'fastify';
import { flattenCategories, getCategoryTree } from '../../data/categories.ts';
import { listProducts, type ProductSummary } from '../../data/products.ts';
import { escapeHtml } from '@shop/web';
import { contextFor, originOf, type Site } from '../context.ts';

const FRESH_MS = 5 * 60_000;

/** robots.txt and sitemap.xml: the browse path is for search engines, the shopper's pages are not. */
export function seoRoutes(site: Site) {
  let cached: { at: number; origin: string; xml: string } | undefined;
  return async (app: FastifyInstance) => {
    app.get('/robots.txt', async (request, reply) =>
      reply
        .header('content-type', 'text/plain; charset=utf-8')
        .send(`User-agent: *\nAllow: /\nDisallow: /checkout\nDisallow: /account\nDisallow: /orders/\nDisallow: /api/\nDisallow: /search\n\nSitemap: ${originOf(site, request)}/sitemap.xml\n`),
    );

    app.get('/sitemap.xml', async (request, reply) => {
      const origin = originOf(site, request);
      if (!cached || cached.origin !== origin || Date.now() - cached.at > FRESH_MS) {
        const { shopper } = contextFor(site, request);
        const products: ProductSummary[] = [];
        let cursor: string | undefined;
        do {
          const page = await listProducts(shopper, { limit: 100, sort: 'newest', ...(cursor ? { cursor } : {}) } as never);
          products.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor && products.length < 50_000);
        const categories = flattenCategories(await getCategoryTree(shopper));
        const urls = ['/', ...categories.map((c) => `/c/${c.slug}`), ...products.map((p) => `/p/${p.slug}`)];
        const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls
          .map((u) => `<url><loc>${escapeHtml(origin + u)}</loc></url>`)
          .join('\n')}\n</urlset>\n`;
        cached = { at: Date.now(), origin, xml };
      }
      return reply.header('content-type', 'application/xml; charset=utf-8').header('cache-control', 'public, max-age=300').send(cached.xml);
    });
  };
}
