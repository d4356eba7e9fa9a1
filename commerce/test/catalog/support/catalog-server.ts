import fastifyCookie from '@fastify/cookie';
import { createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import type { CatalogFixture } from './catalog-fixture.ts';
import { quietLogger } from './catalog-fixture.ts';

/** The house HTTP server with only the catalog's routes, under `/api` as in the app. */
export async function catalogServer(fixture: CatalogFixture): Promise<HttpServer> {
  const server = await createServer({
    logger: quietLogger,
    title: 'catalog test',
    description: 'catalog routes only',
    metrics: createMetricsRegistry('catalog_test'),
    // As the app declares them: admin routes name these in their OpenAPI security.
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'sid' },
      bearer: { type: 'http', scheme: 'bearer' },
    },
  });
  // As the app: the shopper's region may come in the `region` cookie.
  await server.register(fastifyCookie);
  await server.register((api) => fixture.catalog.routes(api), { prefix: '/api' });
  if (fixture.pricing) await server.register((api) => fixture.pricing!.routes(api), { prefix: '/api' });
  await server.ready();
  return server;
}
