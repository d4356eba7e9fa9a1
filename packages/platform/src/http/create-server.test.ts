import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer } from './create-server.ts';
import { createMetricsRegistry } from './metrics.ts';
import { EngineUnavailableError } from '../engine-unavailable.ts';
import { conflict } from './http-error.ts';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

async function server(options: { bodyLimit?: number; ready?: () => Promise<void>; metricsToken?: string } = {}) {
  const app = await createServer({
    logger: pino({ level: 'silent' }),
    title: 'test',
    description: 'test',
    bodyLimit: options.bodyLimit ?? 1024,
    metrics: createMetricsRegistry('test'),
    metricsAccess: { token: options.metricsToken, variable: 'TEST_METRICS_TOKEN' },
    readiness: [{ name: 'thing', check: options.ready ?? (async () => undefined) }],
  });
  app.withTypeProvider<ZodTypeProvider>().post(
    '/items/:id',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        body: z.object({ name: z.string().min(1), quantity: z.number().int().positive() }),
      },
    },
    async (request) => {
      if (request.body.name === 'taken') throw conflict('ITEM.TAKEN', 'That name is taken');
      if (request.body.name === 'bug') throw new Error('secret internals');
      if (request.body.name === 'failover') throw new EngineUnavailableError('database', 'no read-write server at db1:5432, db2:5432');
      return { ok: true };
    },
  );
  await app.ready();
  return app;
}

const id = '5b0d2a4e-8c39-4f55-9d0c-1a8a3f5f0b11';

describe('createServer', () => {
  it('answers 400 naming each invalid field', async () => {
    const app = await server();
    const res = await app.inject({ method: 'POST', url: `/items/${id}`, payload: { name: '', quantity: 'x' } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error).toBe('VALIDATION_FAILED');
    expect(body.message).toContain('body.name');
    expect(body.message).toContain('body.quantity');
  });

  it('answers 400 naming a bad path parameter', async () => {
    const app = await server();
    const res = await app.inject({ method: 'POST', url: '/items/not-a-uuid', payload: { name: 'a', quantity: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('params.id');
  });

  it('answers 400 on malformed JSON and 415 on an unsupported content type', async () => {
    const app = await server();
    const bad = await app.inject({ method: 'POST', url: `/items/${id}`, headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(bad.statusCode).toBe(400);
    const type = await app.inject({ method: 'POST', url: `/items/${id}`, headers: { 'content-type': 'text/xml' }, payload: '<a/>' });
    expect(type.statusCode).toBe(415);
  });

  it('answers 413 for a body over the limit', async () => {
    const app = await server({ bodyLimit: 100 });
    const res = await app.inject({ method: 'POST', url: `/items/${id}`, payload: { name: 'x'.repeat(500), quantity: 1 } });
    expect(res.statusCode).toBe(413);
  });

  it('maps HttpError to its status and code, and hides bugs behind a 500', async () => {
    const app = await server();
    const taken = await app.inject({ method: 'POST', url: `/items/${id}`, payload: { name: 'taken', quantity: 1 } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: 'ITEM.TAKEN', message: 'That name is taken' });
    const bug = await app.inject({ method: 'POST', url: `/items/${id}`, payload: { name: 'bug', quantity: 1 } });
    expect(bug.statusCode).toBe(500);
    expect(bug.body).not.toContain('secret internals');
  });

  it('answers 503 with Retry-After when an engine is unavailable, without its internals', async () => {
    const app = await server();
    const res = await app.inject({ method: 'POST', url: `/items/${id}`, payload: { name: 'failover', quantity: 1 } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json()).toMatchObject({ error: 'ENGINE_UNAVAILABLE', message: expect.stringContaining('The database is unavailable for now') });
    expect(res.body).not.toContain('db1:5432');
  });

  it('answers 404 for unknown routes with the path', async () => {
    const app = await server();
    const res = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe('No route GET /nowhere');
  });

  it('echoes a sane x-request-id and replaces an unsafe one', async () => {
    const app = await server();
    const kept = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'bad id\n' } });
    expect(replaced.headers['x-request-id']).not.toBe('bad id\n');
    expect(String(replaced.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports readiness from its checks', async () => {
    const up = await server();
    expect((await up.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    const down = await server({ ready: async () => Promise.reject(new Error('db gone')) });
    const res = await down.inject({ method: 'GET', url: '/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.thing).toBe('db gone');
  });

  it('serves Prometheus metrics and an OpenAPI 3.1 document', async () => {
    const app = await server({ metricsToken: 'scrape-token-0123456789' });
    await app.inject({ method: 'GET', url: '/health' });
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456789' } });
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.paths['/items/{id}'].post.requestBody).toBeDefined();
  });
});
