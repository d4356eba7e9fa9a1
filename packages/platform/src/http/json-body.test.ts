import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createServer } from './create-server.ts';
import { createMetricsRegistry } from './metrics.ts';
import { parseJsonBody } from './json-body.ts';

async function server() {
  const app = await createServer({ logger: pino({ level: 'silent' }), title: 'test', description: 'test', metrics: createMetricsRegistry('json_body_test') });
  app.withTypeProvider<ZodTypeProvider>().post(
    '/things',
    { schema: { body: z.object({ name: z.string(), attributes: z.record(z.string(), z.unknown()).optional() }) } },
    async (request) => ({ stored: request.body }),
  );
  await app.ready();
  return app;
}
const post = async (payload: string) =>
  (await server()).inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/json' }, payload });

describe('JSON request bodies', () => {
  it('keeps keys named constructor and prototype as plain data, and pollutes nothing', async () => {
    const res = await post('{"name":"lamp","attributes":{"constructor":{"prototype":{"polluted":true}},"prototype":"p","toString":"t"}}');
    expect(res.statusCode).toBe(200);
    expect(res.json().stored.attributes).toEqual({ constructor: { prototype: { polluted: true } }, prototype: 'p', toString: 't' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a __proto__ key, however it is spelled, naming the key and where it is', async () => {
    for (const key of ['__proto__', '\\u005f\\u005fproto__', '__\\u0070roto__']) {
      const res = await post(`{"name":"lamp","attributes":{"ok":1,"${key}":{"polluted":true}}}`);
      expect(res.statusCode, key).toBe(400);
      expect(res.json()).toMatchObject({ error: 'FORBIDDEN_KEY' });
      expect(res.json().message).toBe('The key "__proto__" (in body.attributes) is not accepted: it names the JavaScript object prototype; rename it');
    }
    const nested = await post('{"name":"lamp","attributes":{"list":[{"a":1},{"__proto__":{}}]}}');
    expect(nested.json().message).toContain('(in body.attributes.list[1])');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts __proto__ as a value rather than a key', async () => {
    const res = await post('{"name":"__proto__","attributes":{"note":"\\"__proto__\\": is fine inside a string"}}');
    expect(res.statusCode).toBe(200);
    expect(res.json().stored.name).toBe('__proto__');
  });

  it('says what is wrong with broken or empty JSON', async () => {
    const broken = await post('{"name":');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error).toBe('INVALID_JSON');
    expect(broken.json().message).toMatch(/^The body is not valid JSON: /);
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('EMPTY_BODY');
    expect(() => parseJsonBody('  ')).toThrow('The body is empty');
  });
});
