import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventType } from '../../src/contracts/index.ts';
import { passesBatchBody, passesMessageSchema } from '../../src/collector/segment-message.check.ts';
import { batchBody, EVENT_TYPES, messageSchemas } from '../../src/collector/segment-message.schema.ts';

// Values at and around every bound the schemas set (lengths 0/1/200/201/512/513, null, numbers, wrong kinds).
const edgeString = fc.oneof(
  fc.constantFrom('', 'a', 'x'.repeat(20), 'x'.repeat(21), 'x'.repeat(200), 'x'.repeat(201), 'x'.repeat(512), 'x'.repeat(513)),
  fc.string({ maxLength: 30 }),
);
const time = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-29T00:00:00Z', '2024-02-29T10:00:00+01:00', '2026-01-31T12:00:00', '2026-01-31 12:00:00Z', '2026-13-01T00:00:00Z', '2026-01-31T24:00:00Z', '2026-01-31T12:00:00.123456789-05:30'),
  fc.string({ maxLength: 30 }),
);
const value = fc.oneof(edgeString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null), fc.boolean(), fc.constant([]), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }));
const FIELDS = ['type', 'messageId', 'userId', 'anonymousId', 'event', 'name', 'category', 'groupId', 'previousId', 'timestamp', 'originalTimestamp', 'sentAt', 'properties', 'traits', 'context', 'writeKey', 'integrations'] as const;
const TIME_FIELDS = new Set(['timestamp', 'originalTimestamp', 'sentAt']);
// A message every schema accepts, then one to three fields changed or removed: most runs sit next to a bound.
const VALID = { messageId: 'm-1', userId: 'u-1', anonymousId: 'a-1', event: 'Signed Up', name: 'Home', category: 'Docs', groupId: 'g-1', previousId: 'p-1', timestamp: '2026-12-07T08:00:00.000Z', sentAt: '2026-12-07T08:00:01Z', properties: { a: 1 }, traits: { b: 2 }, context: { c: 3 } };
const change = fc.constantFrom(...FIELDS).chain((field) =>
  fc.tuple(fc.constant(field), fc.oneof(fc.constant(undefined), TIME_FIELDS.has(field) ? fc.oneof(time, value) : value)),
);
const message = fc
  .tuple(fc.boolean(), fc.array(change, { minLength: 1, maxLength: 3 }))
  .map(([typed, changes]) => {
    const m: Record<string, unknown> = { ...VALID };
    for (const [field, to] of changes) m[field] = to;
    if (!typed && !changes.some(([field]) => field === 'type')) m.type = undefined;
    return m;
  });

// What the collector sees: JSON.parse output.
const asJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('the plain Segment checks agree with the zod schemas', () => {
  it('accept exactly what each message schema accepts, and only values zod leaves unchanged', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EVENT_TYPES), message, (type: EventType, generated) => {
        const raw = asJson({ type, ...generated });
        const zod = messageSchemas[type].safeParse(raw);
        expect(passesMessageSchema(type, raw)).toBe(zod.success);
        if (zod.success) expect(zod.data).toEqual(raw);
      }),
      { numRuns: 3000 },
    );
  });

  it('accept exactly what the batch body schema accepts', () => {
    // Mostly valid bodies, so a wrong bound on one field shows up.
    const element = fc
      .tuple(message, fc.oneof(fc.constantFrom(...EVENT_TYPES, undefined, 'x'.repeat(20), 'x'.repeat(21)), value))
      .map(([m, type]) => ({ ...m, type }));
    const usually = <T>(valid: T, other: fc.Arbitrary<unknown>) => fc.oneof({ weight: 3, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: other });
    const body = fc.record(
      {
        batch: usually([{ ...VALID, type: 'track' }], fc.oneof(fc.array(fc.oneof({ weight: 4, arbitrary: element }, { weight: 1, arbitrary: value }), { maxLength: 3 }), value)),
        sentAt: usually('2026-12-07T08:00:01Z', fc.oneof(time, value)),
        context: usually({ library: { name: 'x' } }, value),
        writeKey: usually('wk_1', fc.oneof(edgeString, value)),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(body, value), (generated) => {
        const raw = asJson(generated);
        expect(passesBatchBody(raw)).toBe(batchBody.safeParse(raw).success);
      }),
      { numRuns: 2000 },
    );
  });

  it('take the usual analytics.js and analytics-node messages without zod', () => {
    const page = { type: 'page', messageId: 'ajs-1', anonymousId: 'a1', userId: null, name: null, category: null, properties: { path: '/' }, context: { page: { url: 'https://shop.example/' } }, timestamp: '2026-12-07T08:00:00.000Z', sentAt: '2026-12-07T08:00:00.010Z', integrations: {}, _metadata: { bundled: [] } };
    const track = { type: 'track', event: 'Order Completed', userId: 42, properties: { revenue: 10 }, messageId: 'node-1', timestamp: '2026-12-07T08:00:00.000+01:00' };
    expect(passesMessageSchema('page', page)).toBe(true);
    expect(passesMessageSchema('track', track)).toBe(true);
    expect(passesBatchBody({ batch: [page, track], sentAt: '2026-12-07T08:00:01Z', context: { library: { name: 'analytics-node' } } })).toBe(true);
    // Refusals go to zod, which words them.
    expect(passesMessageSchema('track', { ...track, event: '' })).toBe(false);
    expect(passesMessageSchema('page', { ...page, anonymousId: null })).toBe(false);
    expect(passesBatchBody({ batch: [] })).toBe(false);
  });
});
