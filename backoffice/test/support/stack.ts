import type { FastifyInstance } from 'fastify';
import { startCommerceProcess } from '@shop/web/testing';
import { createBackofficeApp } from '../../src/server/app.ts';
import { loadBackofficeConfig } from '../../src/server/config.ts';

export { until } from '@shop/web/testing';
export const ADMIN = { email: 'admin@backoffice.test', password: 'backoffice-admin-password' };
export const STAFF = { email: 'staff@backoffice.test', password: 'backoffice-staff-password' };

export interface Stack {
  commerceUrl: string;
  backofficeUrl: string;
  backoffice: FastifyInstance;
  /** A bearer token of a demo account, to check what the API holds or to force a call. */
  tokenOf(account: { email: string; password: string }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The commerce API as `npm start` runs it (its own process, embedded engines, demo catalog, an admin
 * and a staff account) and the back office in this process in front of it, each on a free port.
 * `commerceEnv` changes the API's settings (e.g. `DATABASE_URL` for a real PostgreSQL).
 */
export async function startStack(env: Record<string, string> = {}, commerceEnv: Record<string, string> = {}): Promise<Stack> {
  const commerce = await startCommerceProcess(
    { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, STAFF_EMAIL: STAFF.email, STAFF_PASSWORD: STAFF.password, ...commerceEnv },
    'backoffice-test-',
  );
  let backoffice: FastifyInstance;
  try {
    const config = loadBackofficeConfig({ COMMERCE_URL: commerce.url, LOG_LEVEL: 'warn', ...env });
    backoffice = await createBackofficeApp(config, { logger: false });
    await backoffice.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await commerce.stop();
    throw error;
  }
  const { port } = backoffice.server.address() as { port: number };
  return {
    commerceUrl: commerce.url,
    backofficeUrl: `http://127.0.0.1:${port}`,
    backoffice,
    tokenOf: (account) => commerce.tokenOf(account),
    async close() {
      await backoffice.close();
      await commerce.stop();
    },
  };
}
