import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@shop/platform';
import { createAnalyticsApp, type AnalyticsApp } from '../../src/app.ts';
import { runBatch } from '../../src/batch/index.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { batchViewsFromCoverage, createMemoryDriftStore, reconcile, type DriftStore } from '../../src/serving/index.ts';
import { createMemoryAggregateStore } from '../../src/speed/index.ts';
import { DEFAULT_RETENTION } from '../../src/contracts/index.ts';
import { offsetAt } from '../../src/calendar/index.ts';
import { until } from '../speed/until.ts';

export const DAY_MS = 24 * 3_600_000;
export const HOUR_MS = 3_600_000;
export const TENANT = 'dash';
// +5:30: B (a UTC midnight) falls mid-hour and mid-day locally, so one period is served by both layers.
export const TIME_ZONE = 'Asia/Kolkata';

/** Start of the tenant's local hour holding `t`. */
export function localHourStart(t: number): number {
  const local = t + offsetAt(t, TIME_ZONE);
  return t - (((local % HOUR_MS) + HOUR_MS) % HOUR_MS);
}

/**
 * When the events "before B" happen, for a run starting at `now` and lasting up to `runMs`: before
 * B (the batch holds them), in a local hour no event sent during the run shares (so the day chart
 * has a batch-only bar besides the live ones), and inside the day range (the 24 hours before now,
 * widened to whole local hours) all run long. The last second before B does unless the run starts
 * in B's own local hour (00:00-00:30 UTC in Kolkata); then the last second of the hour before it.
 */
export function timeBeforeB(watermark: number, now: number, runMs: number): number {
  const lastSecond = watermark - 1000;
  const hourOfLast = localHourStart(lastSecond);
  const inDayRange = (t: number) => localHourStart(now + runMs - DAY_MS) <= t;
  const chosen = localHourStart(now) === hourOfLast ? hourOfLast - 1000 : lastSecond;
  if (!inDayRange(chosen)) throw new Error(`no time before B=${new Date(watermark).toISOString()} fits a run from ${new Date(now).toISOString()}`);
  return chosen;
}

export interface DashboardApp {
  app: AnalyticsApp;
  baseUrl: string;
  writeKey: string;
  readKey: string;
  /** The batch watermark after `runBatchToToday`: today's UTC midnight. */
  watermark: number;
  send(events: object[]): Promise<void>;
  /** `/v1/query` as the page would ask it. */
  /** Pairs for repeated parameters (two `filter`s). */
  query(params: Record<string, string> | Array<[string, string]>): Promise<{ status: number; body: QueryBody }>;
  /** Runs the batch over the tenant's days before today (UTC), as the nightly job would. */
  runBatchToToday(tenant?: string): Promise<void>;
  /** One reconciliation pass over the 6 hours before B (the app's loop runs every 5 minutes). */
  reconcileNow(): Promise<void>;
  drift: DriftStore;
  close(): Promise<void>;
}

export interface QueryBody {
  served?: string;
  total: { value: number; top?: Array<{ item: string; count: number }> };
  series: Array<{ start: string; end: string; value: number }>;
  watermark?: string | null;
  layers?: Array<{ from: string; to: string; layer: string }>;
  message?: string;
  details?: { missing: Array<{ from: string; to: string }> };
  comparison?: { total: { value: number } };
}

/**
 * The real analytics app (its routes, file log, in-process speed layer and archiver, local raw
 * store, serving layer) listening on a loopback port, with a tenant and its keys. The speed layer
 * keeps quarter hours 3 days only, so a 30-day range reaches periods no layer holds (503).
 */
export async function startDashboardApp(options: { logger?: Logger } = {}): Promise<DashboardApp> {
  const dir = await mkdtemp(join(tmpdir(), 'analytics-dashboard-'));
  const aggregates = createMemoryAggregateStore({ retention: { minuteMs: DEFAULT_RETENTION.minuteMs, quarterMs: 3 * DAY_MS } });
  const driftStore = createMemoryDriftStore();
  const config = loadAnalyticsConfig({ DATA_DIR: dir, ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0', ANALYTICS_LOG_PARTITIONS: '1', ANALYTICS_BATCH_IN_PROCESS: 'false', ARCHIVE_FLUSH_MS: '50' });
  const app = await createAnalyticsApp(config, options.logger ?? createLogger('dashboard-test', 'silent'), { aggregates, driftStore });
  await app.server.listen({ host: '127.0.0.1', port: 0 });
  const baseUrl = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;

  const created = await app.tenants.createTenant({ id: TENANT, name: 'Dashboard test', timeZone: TIME_ZONE });
  const write = await app.tenants.createKey(TENANT, 'write');
  const read = await app.tenants.createKey(TENANT, 'read');
  if (!created.ok || !write.ok || !read.ok) throw new Error('dashboard test setup failed');
  const writeKey = write.value.plainKey;
  const readKey = read.value.plainKey;
  const watermark = Math.floor(Date.now() / DAY_MS) * DAY_MS;

  const query = async (params: Record<string, string> | Array<[string, string]>) => {
    const res = await fetch(`${baseUrl}/v1/query?${new URLSearchParams(params)}`, { headers: { authorization: `Bearer ${readKey}` } });
    return { status: res.status, body: (await res.json()) as QueryBody };
  };

  return {
    app,
    baseUrl,
    writeKey,
    readKey,
    watermark,
    query,
    async send(events) {
      const res = await fetch(`${baseUrl}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        body: JSON.stringify({ batch: events }),
      });
      if (res.status !== 200) throw new Error(`collector answered ${res.status}: ${await res.text()}`);
    },
    async runBatchToToday(tenant = TENANT) {
      await until('the archiver to write yesterday', async () => (await app.objectStore.list(`raw/tenant=${tenant}/date=${new Date(watermark - DAY_MS).toISOString().slice(0, 10)}/`)).length > 0);
      // The events "from yesterday" were received today, after yesterday's usual 5-minute grace:
      // a grace up to now keeps them in yesterday's view (not late) and still closes only yesterday.
      const now = Date.now();
      const run = await runBatch({ lake: app.objectStore, tenants: [tenant], now, graceMs: Math.max(0, now - watermark - 1), threads: 1 });
      if (run.watermarks[tenant] !== watermark) throw new Error(`batch watermark ${run.watermarks[TENANT]}, expected ${watermark}`);
    },
    drift: driftStore,
    async reconcileNow() {
      await reconcile({
        speed: aggregates,
        batch: batchViewsFromCoverage(app.batchViews),
        drift: driftStore,
        tenantId: TENANT,
        periods: [{ from: watermark - 6 * 3_600_000, to: watermark }],
        metrics: METRICS,
      });
    },
    async close() {
      await app.close();
      await aggregates.close();
      await driftStore.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
