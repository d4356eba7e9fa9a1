import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/contracts/metrics.ts';
import { registerQueryRoutes, registerReconciliationRoutes } from '../../src/query/index.ts';
import { createMemoryDriftStore, createServingLayer, reconcile } from '../../src/serving/index.ts';
import { pageView } from '../speed/events.fixture.ts';
import { until } from '../speed/until.ts';
import { auth, KEYS } from '../query/query-app.fixture.ts';
import { layers } from './serving.fixture.ts';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const B = Date.parse('2026-11-25T06:00:00Z');

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function servingApp() {
  const l = layers(NOW);
  const drift = createMemoryDriftStore({ now: () => NOW });
  const tenants = { resolveReadKey: async (key: string) => KEYS[key] ?? null };
  const app: HttpServer = await createServer({ logger: pino({ level: 'silent' }), title: 'serving test', description: '', metrics: createMetricsRegistry('serving_test') });
  const serving = createServingLayer({ speed: l.speed, batch: l.batch, now: () => NOW });
  await app.register(async (scope) => {
    await registerQueryRoutes(scope, { store: l.speed, serving, tenants, now: () => NOW, streamIntervalMs: 50 });
    await registerReconciliationRoutes(scope, { drift, tenants, now: () => NOW });
  });
  await app.ready();
  cleanup = async () => {
    await app.close();
    await l.close();
  };
  return { app, ...l, drift };
}

type Body = {
  series: { start: string; value: number }[];
  total: { value: number };
  watermark?: string | null;
  lagMs?: number | null;
  layers?: { from: string; to: string; layer: string }[];
  error?: string;
  message?: string;
  details?: { missing: { from: string; to: string }[] };
};

describe('GET /v1/query through the serving layer', () => {
  it('answers across B with the watermark, the batch lag and the layers', async () => {
    const { app, split } = await servingApp();
    await split([pageView('acme', '2026-11-25T05:50:00Z'), pageView('acme', '2026-11-25T06:10:00Z')], B);
    const res = await app.inject({ url: '/v1/query?metric=pageviews&granularity=hour&from=2026-11-25T05:00:00Z&to=2026-11-25T07:00:00Z', headers: auth('read-acme') });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<Body>();
    expect(body.series.map((p) => p.value)).toEqual([1, 1]);
    expect(body.watermark).toBe('2026-11-25T06:00:00.000Z');
    expect(body.lagMs).toBe(NOW - B);
    expect(body.layers).toEqual([
      { from: '2026-11-25T05:00:00+00:00', to: '2026-11-25T06:00:00+00:00', layer: 'batch' },
      { from: '2026-11-25T06:00:00+00:00', to: '2026-11-25T07:00:00+00:00', layer: 'speed' },
    ]);
  });

  it('serves days older than the speed layer keeps once the batch covers them, and answers 503 naming a period neither holds', async () => {
    const { app, batch, toBatch } = await servingApp();
    const url = '/v1/query?metric=pageviews&granularity=day&from=2026-10-01&to=2026-10-03';
    const missing = await app.inject({ url, headers: auth('read-acme') });
    expect(missing.statusCode).toBe(503);
    expect(missing.json<Body>()).toMatchObject({
      error: 'PERIOD_NOT_COVERED',
      details: { missing: [{ from: '2026-10-01T00:00:00+00:00', to: '2026-10-03T00:00:00+00:00' }] },
    });
    expect(missing.json<Body>().message).toContain('2026-10-01T00:00:00+00:00 to 2026-10-03T00:00:00+00:00');

    await toBatch([pageView('acme', '2026-10-02T10:00:00Z')]);
    batch.setWatermark('acme', B);
    const covered = await app.inject({ url, headers: auth('read-acme') });
    expect(covered.statusCode, covered.body).toBe(200);
    expect(covered.json<Body>().series.map((p) => p.value)).toEqual([0, 1]);
  });

  it('streams serving-layer results', async () => {
    const { app, split } = await servingApp();
    await split([pageView('acme', '2026-11-25T05:50:00Z'), pageView('acme', '2026-11-25T11:10:00Z')], B);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const req = httpRequest({ port, host: '127.0.0.1', path: '/v1/stream?metric=pageviews&granularity=hour', headers: auth('read-acme') });
    const response = await new Promise<IncomingMessage>((resolve, reject) => req.once('response', resolve).once('error', reject).end());
    let text = '';
    response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    response.on('error', () => undefined);
    await until('a first update', () => text.includes('\n\n'));
    req.destroy();
    const first = JSON.parse(/data: (.*)\n/.exec(text)?.[1] ?? '{}') as Body;
    expect(first.total.value).toBe(2);
    expect(first.layers?.map((s) => s.layer)).toEqual(['batch', 'speed']);
  });
});

describe('GET /v1/reconciliation', () => {
  it("lists the read key's tenant's drift per metric and quarter hour", async () => {
    const { app, speed, batch, drift, toSpeed, toBatch } = await servingApp();
    const events = [pageView('acme', '2026-11-25T04:05:00Z'), pageView('acme', '2026-11-25T04:20:00Z')];
    // The speed layer counted one view twice (same person, same session): counts drift, uniques do
    // not, and the visit it opened is no bounce but a minute long with two page views.
    await toSpeed([...events, { ...events[1]!, messageId: 'again', timestamp: '2026-11-25T04:21:00Z' }]);
    await toBatch(events);
    batch.setWatermark('acme', B);
    const period = { from: Date.parse('2026-11-25T04:00:00Z'), to: Date.parse('2026-11-25T04:30:00Z') };
    await reconcile({ speed, batch, drift, tenantId: 'acme', periods: [period], metrics: METRICS, now: NOW });

    const url = '/v1/reconciliation?from=2026-11-25T04:00:00Z&to=2026-11-25T05:00:00Z&flagged=true';
    expect((await app.inject({ url })).statusCode).toBe(401);
    const res = await app.inject({ url, headers: auth('read-acme') });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ flagged: number; records: { metric: string; start: string; end: string; speed: number; batch: number }[] }>();
    expect(body.records.map((r) => [r.metric, r.start, r.end, r.speed, r.batch]).sort()).toEqual([
      ['bounces', '2026-11-25T04:15:00+00:00', '2026-11-25T04:30:00+00:00', 0, 1],
      ['events', '2026-11-25T04:15:00+00:00', '2026-11-25T04:30:00+00:00', 2, 1],
      ['pageviews', '2026-11-25T04:15:00+00:00', '2026-11-25T04:30:00+00:00', 2, 1],
      ['top_pages', '2026-11-25T04:15:00+00:00', '2026-11-25T04:30:00+00:00', 2, 1],
      ['top_referrers', '2026-11-25T04:15:00+00:00', '2026-11-25T04:30:00+00:00', 2, 1],
      ['visit_duration_ms', '2026-11-25T04:15:00+00:00', '2026-11-25T04:30:00+00:00', 60_000, 0],
      ['visit_pageviews', '2026-11-25T04:15:00+00:00', '2026-11-25T04:30:00+00:00', 2, 1],
    ]);
    const all = (await app.inject({ url: url.replace('&flagged=true', ''), headers: auth('read-acme') })).json<{ records: unknown[] }>();
    expect(all.records).toHaveLength(2 * METRICS.length);
    const other = (await app.inject({ url, headers: auth('read-globex') })).json<{ records: unknown[] }>();
    expect(other.records).toEqual([]);
  });
});
