import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@shop/platform';
import { createAnalyticsApp, type AnalyticsApp, type AnalyticsOverrides } from '../../../src/app.ts';
import { createMemoryDedupStore, createMemoryQuotaCounter, createMemoryRateLimiter, type CollectorStores } from '../../../src/collector/index.ts';
import { loadAnalyticsConfig } from '../../../src/config.ts';
import type { KeyKind, NewTenant } from '../../../src/tenants/index.ts';
import { createMemoryEventLog } from './memory-event-log.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: AnalyticsApp;
  log: ReturnType<typeof createMemoryEventLog>;
  /** Creates a tenant and returns a plain key of `kind` for it. */
  tenantWithKey(tenant: Partial<NewTenant> & { id: string }, kind?: KeyKind): Promise<string>;
  /** Moves the collector's and the rate limiter's clock. */
  advance(ms: number): void;
  cleanup(): Promise<void>;
}

export const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

/**
 * The real analytics app (real routes, tenant file store in a temp dir, in-process
 * collector stores) with an in-memory log and a clock the test controls.
 */
export async function startTestApp(
  options: {
    env?: Record<string, string>;
    /** The fixed clock's start; `'real'` for wall-clock time (tests through real clients that wait). */
    start?: Date | 'real';
    overrides?: AnalyticsOverrides;
    stores?: CollectorStores;
  } = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'analytics-app-'));
  let offset = 0;
  const fixed = options.start === 'real' ? undefined : (options.start ?? new Date('2026-03-10T12:00:00.000Z')).getTime();
  const nowOf = () => (fixed ?? Date.now()) + offset;
  const config = loadAnalyticsConfig({ DATA_DIR: dir, ANALYTICS_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent', ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0', ANALYTICS_RATE_LIMIT_MAX: '0', ...options.env });
  const log = createMemoryEventLog();
  const stores: CollectorStores = options.stores ?? {
    dedup: createMemoryDedupStore({ now: nowOf }),
    rateLimiter: createMemoryRateLimiter({ now: nowOf }),
    quota: createMemoryQuotaCounter(),
    close: async () => {},
  };
  const app = await createAnalyticsApp(config, createLogger('analytics-test', 'silent'), {
    log,
    collectorStores: stores,
    now: () => new Date(nowOf()),
    ...options.overrides,
  });
  return {
    app,
    log,
    async tenantWithKey(tenant, kind = 'write') {
      const existing = await app.tenants.getTenant(tenant.id);
      if (!existing.ok) {
        const created = await app.tenants.createTenant({ name: tenant.id, timeZone: 'UTC', ...tenant });
        if (!created.ok) throw new Error(created.error.message);
      }
      const key = await app.tenants.createKey(tenant.id, kind);
      if (!key.ok) throw new Error(key.error.message);
      return key.value.plainKey;
    },
    advance(ms) {
      offset += ms;
    },
    async cleanup() {
      await app.close();
      await stores.close();
      await options.overrides?.tenantStore?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
