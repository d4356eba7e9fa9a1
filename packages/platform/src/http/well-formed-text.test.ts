import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { createServer } from './create-server.ts';
import { createMetricsRegistry } from './metrics.ts';
import { findBadText, text, textProblem } from './well-formed-text.ts';

describe('textProblem', () => {
  it('accepts any well-formed text, astral characters included', () => {
    for (const s of ['', 'Zoë', '東京', '🛒 cart', '\ud83d\uded2', 'tab\there']) expect(textProblem(s)).toBeUndefined();
  });

  it('refuses NUL and lone surrogates, high or low, anywhere in the string', () => {
    for (const s of ['\u0000', 'a\u0000b', '\ud800', 'x\ud800', '\udc00y', 'a\udfffb', '\ud83d']) expect(textProblem(s)).toBeDefined();
  });
});

describe('findBadText', () => {
  it('names the first bad string by its path, in values and in property names', () => {
    expect(findBadText({ a: [{ b: 'ok' }, { c: 'x\ud800' }] }, 'body')).toMatchObject({ field: 'body.a.1.c' });
    expect(findBadText({ meta: { 'k\u0000': 1 } }, 'body')?.message).toMatch(/property name/);
    expect(findBadText({ a: 1, b: [true, null, 'fine'] }, 'body')).toBeUndefined();
  });

  it('names a number too large for a double, which JSON reads as Infinity', () => {
    expect(findBadText(JSON.parse('{"p":{"revenue":1e400}}'), 'body')).toMatchObject({ field: 'body.p.revenue', message: expect.stringMatching(/1e400/) });
    expect(findBadText(JSON.parse('[1.7976931348623157e308, -5e-324, 0]'), 'body')).toBeUndefined();
  });

  it('refuses nesting deeper than any request needs instead of walking it', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(findBadText(deep, 'body')?.message).toMatch(/nested deeper/);
  });
});

describe('the zod text() helper', () => {
  it('refuses what the hook refuses, with the same message', () => {
    const result = z.object({ city: text().max(10) }).safeParse({ city: 'Par\u0000is' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/NUL/);
    expect(z.object({ city: text().max(10) }).safeParse({ city: 'Paris' }).success).toBe(true);
  });
});

describe('every route of a server', () => {
  it('answers 400 naming the field when body, query or params hold NUL or a lone surrogate', async () => {
    const app = await createServer({ logger: pino({ level: 'silent' }), title: 't', description: 't', metrics: createMetricsRegistry('t') });
    app.withTypeProvider<ZodTypeProvider>().post(
      '/things/:name',
      { schema: { body: z.object({ address: z.object({ city: z.string() }), tags: z.array(z.string()).optional() }) } },
      async () => ({ ok: true }),
    );
    await app.ready();
    const post = (url: string, payload: string) =>
      app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload });

    const surrogate = await post('/things/a', '{"address":{"city":"\\ud800"}}');
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json()).toMatchObject({ error: 'VALIDATION_FAILED', details: [{ field: 'body.address.city' }] });
    expect(surrogate.json().message).toMatch(/^body\.address\.city: must be well-formed Unicode/);

    const nul = await post('/things/a', '{"address":{"city":"Paris"},"tags":["x","\\u0000"]}');
    expect(nul.statusCode).toBe(400);
    expect(nul.json().details[0].field).toBe('body.tags.1');

    expect((await post('/things/a?q=%00', '{"address":{"city":"Paris"}}')).json().details[0].field).toBe('query.q');
    expect((await post('/things/a%00b', '{"address":{"city":"Paris"}}')).json().details[0].field).toBe('params.name');
    expect((await post('/things/a', '{"address":{"city":"Zoë 🛒"}}')).statusCode).toBe(200);
    await app.close();
  });
});
