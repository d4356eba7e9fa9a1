import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../speed/until.ts';
import { basic, startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Names that are JavaScript's own (`constructor`, `toString`, `__proto__`) as a Segment user's
 * data: keys in properties and traits, and values such as event names that end up as keys of
 * the speed layer's and the query API's maps.
 */
let t: TestApp;
let write: string;
let read: string;
beforeAll(async () => {
  t = await startTestApp({ start: 'real' });
  write = await t.tenantWithKey({ id: 'names' });
  read = await t.tenantWithKey({ id: 'names' }, 'read');
});
afterAll(() => t.cleanup());

const post = (url: string, payload: string) =>
  t.app.server.inject({ method: 'POST', url, payload, headers: { authorization: basic(write), 'content-type': 'application/json' } });

describe('JSON keys named like JavaScript internals', () => {
  it('stores properties and traits named constructor, prototype or toString as plain data, and pollutes nothing', async () => {
    const res = await post(
      '/v1/batch',
      JSON.stringify({
        batch: [
          { type: 'track', messageId: 'k1', userId: 'u1', event: 'Viewed', properties: { constructor: { prototype: { polluted: true } }, toString: 'str', prototype: 1 } },
          { type: 'identify', messageId: 'k2', userId: 'u1', traits: { constructor: 'Acme Corp', hasOwnProperty: false } },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const [viewed, identify] = t.log.records().filter((r) => ['k1', 'k2'].includes(r.value.messageId)).map((r) => r.value);
    expect(viewed?.properties).toEqual({ constructor: { prototype: { polluted: true } }, toString: 'str', prototype: 1 });
    expect(identify?.traits).toEqual({ constructor: 'Acme Corp', hasOwnProperty: false });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a __proto__ key with a 400 naming it and where it is, and stores nothing of that request', async () => {
    const before = t.log.records().length;
    const res = await post('/v1/batch', '{"batch":[{"type":"track","userId":"u1","event":"A"},{"type":"track","userId":"u1","event":"B","properties":{"__proto__":{"polluted":true}}}]}');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'FORBIDDEN_KEY' });
    expect(res.json().message).toContain('"__proto__" (in body.batch[1].properties)');
    const single = await post('/v1/t', '{"userId":"u1","event":"A","\\u005f_proto__":{}}');
    expect(single.statusCode).toBe(400);
    expect(single.json().message).toContain('"__proto__" (in body)');
    expect(t.log.records()).toHaveLength(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores an event named __proto__ and counts events named constructor or toString like any other name in /v1/query', async () => {
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'constructor'];
    const res = await post('/v1/batch', JSON.stringify({ batch: names.map((event, i) => ({ type: 'track', messageId: `n${i}`, userId: 'u2', event })) }));
    expect(res.statusCode, res.body).toBe(200);
    expect(t.log.records().filter((r) => r.value.userId === 'u2').map((r) => r.value.event)).toEqual(names);
    const query = async () => {
      const answer = await t.app.server.inject({ method: 'GET', url: '/v1/query?metric=events&granularity=day&breakdown=event', headers: { authorization: `Bearer ${read}` } });
      expect(answer.statusCode, answer.body).toBe(200);
      return JSON.parse(answer.body) as { total: { value: number }; series: { breakdown?: Record<string, number> }[] };
    };
    await until('the speed layer to count the 7 events', async () => (await query()).total.value === 7);
    // Summed over the series as entries. (The response's breakdown goes through a zod record,
    // which drops a __proto__ key: that name is counted in the total only.)
    const counts = new Map<string, number>();
    for (const point of (await query()).series) for (const [name, n] of Object.entries(point.breakdown ?? {})) counts.set(name, (counts.get(name) ?? 0) + n);
    expect([...counts].filter(([, n]) => n > 0).sort()).toEqual(
      [['Viewed', 1], ['identify', 1], ['constructor', 2], ['toString', 1], ['hasOwnProperty', 1]].sort(),
    );
  });
});
