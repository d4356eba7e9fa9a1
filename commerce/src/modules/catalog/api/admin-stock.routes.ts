import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '@shop/platform';
import type { CatalogContext } from '../application/catalog.context.ts';

const lowStockQuerystring = z.object({
  threshold: z.coerce.number().int().min(0).max(100_000).default(5).describe('at most this many left to sell'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const lowStockSchema = z.object({
  items: z.array(
    z.object({
      variantId: z.uuid(),
      sku: z.string(),
      options: z.record(z.string(), z.string()),
      productId: z.uuid(),
      productName: z.string(),
      available: z.number().int().describe('on hand minus reserved'),
    }),
  ),
});

/** `GET /api/admin/variants/low-stock`: what to reorder, for the back office's home. */
export async function adminStockRoutes(app: FastifyInstance, ctx: CatalogContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/variants/low-stock',
    {
      config: { permission: 'catalog.read' },
      schema: {
        tags: ['catalog admin'],
        security: [{ session: [] }, { bearer: [] }],
        summary: 'Variants of published products running out, fewest left first',
        querystring: lowStockQuerystring,
        response: { 200: lowStockSchema },
      },
    },
    async (request) => ({ items: await ctx.lowStock.lowStock(ctx.db, request.query.threshold, request.query.limit) }),
  );
}
