import Fastify, { type FastifyInstance } from 'fastify';
import { createShopClient } from '@shop/sdk';
import { errorPage, notFoundPage, unavailablePage } from '../pages/status.ts';
import { analyticsForwarder } from './analytics.ts';
import { buildAssets } from './assets.ts';
import type { StorefrontConfig } from './config.ts';
import { contextFor, CSP, type Site } from './context.ts';
import { apiProxy, pageErrors, securityHeaders } from '@shop/web';
import { accountRoutes } from './routes/account.routes.ts';
import { cartRoutes } from './routes/cart.routes.ts';
import { catalogRoutes } from './routes/catalog.routes.ts';
import { checkoutRoutes } from './routes/checkout.routes.ts';
import { pwaRoutes } from './routes/pwa.routes.ts';
import { returnRoutes } from './routes/returns.routes.ts';
import { seoRoutes } from './routes/seo.routes.ts';

/**
 * The storefront: server-rendered pages over the commerce API's public HTTP surface (through the
 * typed SDK), the `/api/*` proxy that keeps the browser on one origin, the PWA files, and the
 * analytics forwarder. It imports nothing from commerce.
 */
export async function createStorefrontApp(config: StorefrontConfig, options: { logger?: boolean | object } = {}): Promise<FastifyInstance> {
  const assets = await buildAssets();
  const site: Site = { config, client: createShopClient({ baseUrl: config.COMMERCE_URL.replace(/\/$/, '') }), assets: { css: assets.css, js: assets.js } };
  const app = Fastify({ logger: options.logger ?? { level: config.LOG_LEVEL }, trustProxy: true, bodyLimit: 64 * 1024 });

  securityHeaders(app, { csp: CSP, referrerPolicy: 'strict-origin-when-cross-origin' });
  pageErrors(app, (_error, request, reply, unreachable) =>
    contextFor(site, request).render(reply, unreachable ? unavailablePage(request.id) : errorPage(request.id)),
  );
  app.setNotFoundHandler(async (request, reply) => contextFor(site, request).render(reply, notFoundPage()));

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    await scope.register(catalogRoutes(site));
    await scope.register(cartRoutes(site));
    await scope.register(checkoutRoutes(site));
    await scope.register(accountRoutes(site));
    await scope.register(returnRoutes(site));
    await scope.register(pwaRoutes(site, assets));
    await scope.register(seoRoutes(site));
    await scope.register(analyticsForwarder({ analyticsUrl: config.ANALYTICS_URL, writeKey: config.ANALYTICS_WRITE_KEY, cookieSecure: config.COOKIE_SECURE }));
  });
  await app.register(apiProxy(config.COMMERCE_URL));
  app.get('/health', async () => ({ status: 'ok' }));
  return app;
}
