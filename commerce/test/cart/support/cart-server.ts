import fastifyCookie from '@fastify/cookie';
import { createLogger, createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { createCartModule, type CartApi, type CartConfig } from '../../../src/modules/cart/index.ts';
import type { KeyValueStore } from '../../../src/shared/kv/index.ts';
import type { FakeCatalog } from './fake-catalog.ts';
import { createTestAuthenticator } from './test-authenticator.ts';

export const TEST_CART_CONFIG: CartConfig = { ttlSeconds: 3600, maxLines: 3, maxQuantity: 30, cookieSecure: false };

/** A server with the house conventions and only the cart routes, mounted under `/api` as app.ts does. */
export async function startCartServer(
  kv: KeyValueStore,
  catalog: FakeCatalog,
  config: Partial<CartConfig> = {},
): Promise<{ server: HttpServer; cart: CartApi }> {
  const logger = createLogger('cart-test', 'silent');
  const module = createCartModule({
    kv,
    catalog,
    auth: createTestAuthenticator(),
    logger,
    config: { ...TEST_CART_CONFIG, ...config },
  });
  const server = await createServer({
    logger,
    title: 'cart test',
    description: 'cart routes only',
    metrics: createMetricsRegistry('cart_test'),
    // As app.ts declares them; the cart routes name them in their OpenAPI security.
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'sid' },
      bearer: { type: 'http', scheme: 'bearer' },
    },
  });
  await server.register(fastifyCookie);
  await server.register(
    async (api) => {
      await module.routes?.(api);
      // Stands in for the users module's login route (written in parallel): after a
      // successful sign-in it calls the hook app.ts wires to the cart.
      api.post('/test/sign-in', async (request, reply) => {
        const userId = request.headers['x-test-user'];
        if (typeof userId !== 'string') return reply.status(400).send({ error: 'x-test-user required' });
        return module.api.mergeGuestCartFromRequest(userId, request, reply);
      });
    },
    { prefix: '/api' },
  );
  await server.ready();
  return { server, cart: module.api };
}
