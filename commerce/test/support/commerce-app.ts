import { pino } from 'pino';
import { createCommerceApp, type CommerceApp } from '../../src/app.ts';
import { loadCommerceConfig } from '../../src/config.ts';
import { createPgliteDatabase } from '../../src/shared/database/index.ts';
import { createMemoryStore } from '../../src/shared/kv/index.ts';
import { pgliteImage } from './pglite-image.ts';

export const ADMIN = { email: 'admin@test.shop', password: 'admin-password-123' };

/**
 * The whole commerce app as `npm start` composes it, on an in-memory PGlite and the
 * in-process cache, driven through `app.server.inject()`. Extra env entries override config.
 */
export async function startTestCommerce(env: Record<string, string> = {}): Promise<CommerceApp> {
  const config = loadCommerceConfig({
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SEED_DEMO_DATA: 'true',
    LOG_LEVEL: 'silent',
    DATA_DIR: `/tmp/commerce-test-${process.pid}-${Date.now()}`,
    // Tests drive thousands of requests from one address on a loaded machine; the guards have their own tests.
    RATE_LIMIT_MAX: '0',
    SHED_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  });
  return createCommerceApp(config, pino({ level: 'silent' }), {
    db: await createPgliteDatabase(undefined, undefined, { loadDataDir: await pgliteImage() }),
    kv: createMemoryStore(),
  });
}

export async function bearerFor(app: CommerceApp, email: string, password: string): Promise<string> {
  const res = await app.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
  return res.json().token as string;
}
