import type { DuckDBConnection } from '@duckdb/node-api';
import { createMetricsRegistry, createServer } from '@shop/platform';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { type DuckDbEngine, type LakeStore, runBatch } from '../../src/batch/index.ts';
import { registerQueryRoutes } from '../../src/query/query-routes.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { columnarLake, DAY, duckdbAndDir, FIRST, gbFirefoxViewsPerDay, GOALS, NOW } from '../batch/raw-columnar.fixture.ts';
import { auth } from './query-app.fixture.ts';

/** The query routes over `lake` at NOW with a raw warm-up of `days`; `connections` gets each connection the routes open. */
async function rawQueryApp(engine: DuckDbEngine, lake: LakeStore, days: number, connections: DuckDBConnection[]) {
  const app = await createServer({ logger: pino({ level: 'silent' }), title: 'raw warm-up test', description: '', metrics: createMetricsRegistry('analytics_raw_warm_up_test') });
  const duckdb: DuckDbEngine = { connect: async () => connections[connections.push(await engine.connect()) - 1]!, close: () => undefined };
  const routes = await registerQueryRoutes(app, {
    store: createMemoryAggregateStore({ now: () => NOW }),
    tenants: { resolveReadKey: async (key) => (key === 'read-acme' ? { id: 'acme', timeZone: 'UTC' } : null) },
    now: () => NOW,
    raw: { lake, duckdb, goals: async () => GOALS, ...(days ? { warmUp: { days, tenantIds: async () => ['acme', 'nobody'] } } : {}) },
  });
  await app.ready();
  return { app, routes };
}

const held = async (connection: DuckDBConnection, sql: string) => (await connection.runAndReadAll(sql)).getRowsJS()[0]!.map(Number);

describe('the raw warm-up of the query API', () => {
  const setup = duckdbAndDir('raw-warm-up-');

  it("holds each tenant's recent closed days once the server is ready, with a column per filterable scalar; questions answer as before", { timeout: 120_000 }, async () => {
    const { lake, events } = await columnarLake(setup.dir);
    await runBatch({ lake, tenants: ['acme'], now: NOW });
    const connections: DuckDBConnection[] = [];
    const { app, routes } = await rawQueryApp(setup.engine, lake, 62, connections);
    try {
      expect(await routes.warmedUp()).toEqual({ tenants: 2, days: 124 });
      // No question was asked: the three closed days' first receipts (bots too) are held, as their copies hold them.
      const [rows, days, withCountry] = await held(connections[0]!, `SELECT count(*), count(DISTINCT date), count("s:dimensions.country") FROM raw_day_cache WHERE tenant = 'acme'`);
      const [copied] = await held(setup.connection, `SELECT count(*) FROM read_parquet('${setup.dir}/columnar/tenant=acme/*/events.parquet') WHERE first`);
      expect(days).toBe(3);
      expect(rows).toBe(copied);
      expect(withCountry).toBe(rows);

      const res = await app.inject({
        url: `/v1/query?metric=pageviews&granularity=day&tz=UTC&from=${new Date(FIRST).toISOString()}&to=${new Date(FIRST + 4 * DAY).toISOString()}&filter=country:GB&filter=browser:Firefox`,
        headers: auth('read-acme'),
      });
      expect(res.statusCode).toBe(200);
      expect((res.json() as { series: Array<{ value: number }> }).series.map((p) => p.value)).toEqual(gbFirefoxViewsPerDay(events));
      expect(connections).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('holds nothing before a question when it is off, and stops at the next turn when the server closes', { timeout: 120_000 }, async () => {
    const lake = (await columnarLake(setup.dir)).lake;
    const off = await rawQueryApp(setup.engine, lake, 0, []);
    expect(off.routes.warmedUp()).toBeNull();
    await off.app.close();

    const connections: DuckDBConnection[] = [];
    const { app, routes } = await rawQueryApp(setup.engine, lake, 10_000, connections);
    const warming = routes.warmedUp();
    await app.close();
    expect((await warming)!.days).toBeLessThan(2 * 10_000);
  });
});
