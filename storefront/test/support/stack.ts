import type { FastifyInstance } from 'fastify';
import { startCommerceProcess } from '@shop/web/testing';
import { createStorefrontApp } from '../../src/server/app.ts';
import { loadStorefrontConfig } from '../../src/server/config.ts';

export { until } from '@shop/web/testing';
export const ADMIN = { email: 'admin@storefront.test', password: 'storefront-admin-password' };

export interface Stack {
  commerceUrl: string;
  storefrontUrl: string;
  storefront: FastifyInstance;
  /** A bearer token of the commerce admin, to check what the API holds. */
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The commerce API as `npm start` runs it (its own process, embedded engines, demo catalog, a
 * temporary DATA_DIR) and the storefront in this process in front of it, each on a free port.
 * The storefront reaches commerce over HTTP only, as in production. `env` configures the
 * storefront, `commerceEnv` adds to commerce's environment.
 */
export async function startStack(env: Record<string, string> = {}, commerceEnv: Record<string, string> = {}): Promise<Stack> {
  const commerce = await startCommerceProcess({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ...commerceEnv }, 'storefront-test-');
  let storefront: FastifyInstance;
  try {
    const config = loadStorefrontConfig({ COMMERCE_URL: commerce.url, LOG_LEVEL: 'warn', ...env });
    storefront = await createStorefrontApp(config, { logger: false });
    await storefront.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await commerce.stop();
    throw error;
  }
  const { port } = storefront.server.address() as { port: number };
  return {
    commerceUrl: commerce.url,
    storefrontUrl: `http://127.0.0.1:${port}`,
    storefront,
    adminToken: () => commerce.tokenOf(ADMIN),
    async close() {
      await storefront.close();
      await commerce.stop();
    },
  };
}
