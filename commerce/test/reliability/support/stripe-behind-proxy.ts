import { afterAll, beforeAll } from 'vitest';
import { startStripeFake, type StripeFake } from '../../payments/support/stripe-fake.server.ts';
import { startHoldingProxy, type HoldingProxy } from './holding-proxy.ts';
import { freshDatabase, tempDir, type ShopProcess, type TestDatabaseUrl } from './shop.ts';

const WEBHOOK_SECRET = 'whsec_reliability_secret';

export interface StripeBehindProxy {
  /** The Stripe fake: it counts money movements outside the app, so they survive the app's death. */
  fake(): StripeFake;
  proxy(): HoldingProxy;
  /** Every shop started here is killed after the suite. */
  shops: ShopProcess[];
  /** The app's environment: a fresh PostgreSQL database, one data dir, the Stripe gateway through the proxy. */
  env(): Record<string, string>;
}

/**
 * A crash suite's world, set up around the calling `describe`: the Stripe fake behind a proxy
 * that carries the requests `hold` picks out upstream and swallows their answers (the gateway
 * acted, the app never hears), a fresh database and a data dir, all removed afterwards.
 */
export function stripeBehindHoldingProxy(hold: (method: string, path: string) => boolean, dataPrefix: string): StripeBehindProxy {
  let fake: StripeFake;
  let proxy: HoldingProxy;
  let database: TestDatabaseUrl;
  const data = tempDir(dataPrefix);
  const shops: ShopProcess[] = [];

  beforeAll(async () => {
    fake = await startStripeFake({ apiKey: 'sk_test_x', webhookSecret: WEBHOOK_SECRET });
    proxy = await startHoldingProxy(fake.url, hold);
    database = await freshDatabase();
  });
  afterAll(async () => {
    for (const s of shops) await s.kill();
    await proxy?.close();
    await fake?.close();
    await database?.drop();
    data.remove();
  });

  return {
    fake: () => fake,
    proxy: () => proxy,
    shops,
    env: () => ({
      DATABASE_URL: database.url,
      DATA_DIR: data.path,
      PAYMENTS_GATEWAY: 'stripe',
      STRIPE_API_KEY: 'sk_test_x',
      PAYMENTS_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STRIPE_API_BASE: proxy.url,
      PAYMENTS_RETRY_BASE_DELAY_MS: '100',
    }),
  };
}
