import Fastify, { type FastifyInstance } from 'fastify';
import { createShopClient } from '@shop/sdk';
import { apiProxy, pageErrors, securityHeaders } from '@shop/web';
import { errorPage, notFoundPage } from '../pages/status.ts';
import { buildAssets } from './assets.ts';
import type { BackofficeConfig } from './config.ts';
import { contextFor, CSP, type Site } from './context.ts';
import { auditRoutes } from './routes/audit.routes.ts';
import { catalogRoutes } from './routes/catalog.routes.ts';
import { categoryRoutes } from './routes/categories.routes.ts';
import { customerRoutes } from './routes/customers.routes.ts';
import { promotionRoutes } from './routes/promotions.routes.ts';
import { operationsRoutes } from './routes/operations.routes.ts';
import { orderRoutes } from './routes/orders.routes.ts';
import { returnRoutes } from './routes/returns.routes.ts';
import { shipmentRoutes } from './routes/shipments.routes.ts';
import { homeRoutes } from './routes/home.routes.ts';
import { sessionRoutes } from './routes/session.routes.ts';
import { getMe } from '../data/staff.ts';

/**
 * The back office: server-rendered screens for the shop's staff over the commerce admin API (through
 * the typed SDK), and the `/api/*` proxy that keeps the browser on one origin so the API's session
 * cookie and CSRF check work unchanged. It imports nothing from commerce.
 */
export async function createBackofficeApp(config: BackofficeConfig, options: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const assets = await buildAssets();
  const site: Site = { config, client: createShopClient({ baseUrl: config.COMMERCE_URL.replace(/\/$/, '') }), assets: { css: assets.css, js: assets.js } };
  const app = Fastify({ logger: options.logger ?? { level: config.LOG_LEVEL }, trustProxy: true, bodyLimit: 256 * 1024 });

  securityHeaders(app, { csp: CSP, referrerPolicy: 'same-origin' });
  pageErrors(app, async (_error, request, reply, unreachable) => {
    const ctx = contextFor(site, request);
    return ctx.render(reply, errorPage(request.id, unreachable), unreachable ? null : await getMe(ctx.staff).catch(() => null));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const ctx = contextFor(site, request);
    return ctx.render(reply, notFoundPage(), await getMe(ctx.staff).catch(() => null));
  });

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      const form: Record<string, string | string[]> = {};
      for (const [key, value] of new URLSearchParams(String(body))) {
        const had = form[key];
        form[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
      }
      done(null, form);
    });
    await scope.register(sessionRoutes(site));
    await scope.register(homeRoutes(site));
    await scope.register(catalogRoutes(site));
    await scope.register(categoryRoutes(site));
    await scope.register(auditRoutes(site));
    await scope.register(orderRoutes(site));
    await scope.register(shipmentRoutes(site));
    await scope.register(returnRoutes(site));
    await scope.register(customerRoutes(site));
    await scope.register(promotionRoutes(site));
    await scope.register(operationsRoutes(site));
  });
  app.get('/assets/*', async (request, reply) => {
    const file = assets.files.get(request.url.split('?')[0]!);
    if (!file) return reply.status(404).send('not found');
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    reply.header('content-type', file.type).header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? file.gzip : file.body);
  });
  await app.register(apiProxy(config.COMMERCE_URL, { bodyLimit: config.UPLOAD_LIMIT_BYTES }));
  app.get('/health', async () => ({ status: 'ok' }));
  return app;
}
