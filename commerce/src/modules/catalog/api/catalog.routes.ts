import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { CatalogContext } from '../application/catalog.context.ts';
import { adminCategoryRoutes } from './admin-category.routes.ts';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import { adminProductRoutes } from './admin-product.routes.ts';
import { adminStockRoutes } from './admin-stock.routes.ts';
import { adminImageRoutes, mediaRoutes } from './media.routes.ts';
import { adminVariantRoutes } from './admin-variant.routes.ts';
import { shopperRoutes } from './shopper.routes.ts';

/** The catalog's HTTP surface; the caller mounts it under `/api`. */
export async function catalogRoutes(app: FastifyInstance, ctx: CatalogContext, auth: Authenticator): Promise<void> {
  await app.register(async (shop) => {
    await shopperRoutes(shop, ctx, auth);
    await mediaRoutes(shop, ctx);
  });
  await app.register(
    async (admin) => {
      const caller = guardPermission(admin, auth, 'catalog.write');
      await adminProductRoutes(admin, ctx, caller);
      await adminVariantRoutes(admin, ctx, caller);
      await adminCategoryRoutes(admin, ctx, caller);
      await adminStockRoutes(admin, ctx);
      await adminImageRoutes(admin, ctx, caller);
    },
    { prefix: '/admin' },
  );
}
