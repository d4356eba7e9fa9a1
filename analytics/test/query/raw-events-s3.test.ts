import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { startS3rver } from '@shop/platform/testing/object-store';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { goalReport, openDuckDb, runBatch, type DuckDbEngine, type LakeStore } from '../../src/batch/index.ts';
import { rawEventsSql } from '../../src/batch/raw-events.ts';
import { createFileGoalStore } from '../../src/goals/index.ts';
import { registerProductRoutes } from '../../src/query/index.ts';
import { localObjectStore, type ObjectStore } from '../../src/storage/index.ts';
import { writeRaw } from '../batch/batch.fixture.ts';
import { askAll, columnarEvents, FIRST, GOALS, NOW } from '../batch/raw-columnar.fixture.ts';
import { auth, KEYS } from './query-app.fixture.ts';

/** The product routes over `lake`, as the app registers them. */
async function productApp(lake: LakeStore, dir: string): Promise<HttpServer> {
  const duckdb = await openDuckDb({ threads: 1 });
  const app = await createServer({ logger: pino({ level: 'silent' }), title: 'raw events on S3 test', description: '', metrics: createMetricsRegistry('raw_events_s3_test') });
  await app.register(async (scope) => {
    await registerProductRoutes(scope, { tenants: { resolveReadKey: async (key) => KEYS[key] ?? null }, goals: createFileGoalStore(join(dir, 'goals.json')), lake, duckdb, now: () => NOW });
  });
  app.addHook('onClose', async () => duckdb.close());
  await app.ready();
  return app;
}

// s3rver runs in a child process of the test: no engine from outside, so this suite never skips.
describe('raw-event questions on an S3 lake (s3rver)', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startS3rver>>;
  let bucket: ObjectStore;
  let engine: DuckDbEngine;
  let connection: DuckDBConnection;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'raw-events-s3-'));
    server = await startS3rver(join(dir, 's3'));
    bucket = await server.newStore();
    engine = await openDuckDb({ threads: 2 });
    connection = await engine.connect();
    await writeRaw(join(dir, 'local'), columnarEvents(), { duplicateEvery: 5, perFile: 60 });
    const local = localObjectStore(join(dir, 'local'));
    for (const key of await local.list('raw/')) await bucket.put(key, (await local.get(key))!);
  }, 60_000);
  afterAll(async () => {
    connection.closeSync();
    engine.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers goals, funnels, retention and combined filters through the port as a local lake does, from NDJSON and then from the copies', { timeout: 120_000 }, async () => {
    const expected = await askAll(connection, localObjectStore(join(dir, 'local')));
    expect((await askAll(connection, bucket)).answers).toEqual(expected.answers);

    await runBatch({ lake: bucket, tenants: ['acme'], now: NOW });
    const cacheDir = join(dir, 'cache');
    const source = await rawEventsSql(bucket, 'acme', FIRST, NOW, { cacheDir });
    await source?.release();
    expect(source?.copies).toBe(3);
    const fromCopies = await askAll(connection, bucket);
    expect(fromCopies.answers).toEqual(expected.answers);
    expect(fromCopies.freshness).toEqual(expected.freshness);
  });

  it('serves the goal report route from the bucket, and answers 503 with a message when the store cannot be read', { timeout: 60_000 }, async () => {
    const app = await productApp(bucket, dir);
    try {
      const created = await app.inject({ method: 'POST', url: '/v1/goals', headers: auth('read-acme'), payload: { name: 'Pro', kind: 'event', event: 'Signed Up', properties: { plan: 'pro' } } });
      expect(created.statusCode, created.body).toBe(201);
      const report = await app.inject({ url: '/v1/goals/report?from=2026-11-02&to=2026-11-05T12:00:00Z', headers: auth('read-acme') });
      expect(report.statusCode, report.body).toBe(200);
      const expected = await goalReport(connection, localObjectStore(join(dir, 'local')), { tenantId: 'acme', from: FIRST, to: NOW }, GOALS);
      expect(report.json().goals[0]).toMatchObject({ conversions: expected.result[0]!.conversions, revenue: expected.result[0]!.revenue });
    } finally {
      await app.close();
    }
    const down: LakeStore = { list: async () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9')), get: async () => null, put: async () => undefined };
    const broken = await productApp(down, dir);
    try {
      const report = await broken.inject({ url: '/v1/funnels', method: 'POST', headers: auth('read-acme'), payload: { from: '2026-11-02', to: '2026-11-03', windowMinutes: 5, steps: [{ kind: 'page', path: '/' }, { kind: 'page', path: '/p1' }] } });
      expect(report.statusCode, report.body).toBe(503);
      expect(report.json()).toMatchObject({ error: 'RAW_STORE_UNAVAILABLE', message: expect.stringMatching(/raw event store cannot be read.*ECONNREFUSED/) });
    } finally {
      await broken.close();
    }
  });
});
