import { describe, expect, it } from 'vitest';
import { testEvent } from '../support/log-test-events.fixture.ts';
import { encodeRawObjects, parseRawObjectKey, rawObjectKey, rawPartitionOf } from '../../src/archive/raw-layout.ts';

const at = (timestamp: string, receivedAt = '2026-11-25T10:00:00.000Z') => ({ ...testEvent('acme', 'm'), timestamp, receivedAt });

describe('raw layout', () => {
  it('files an event under the UTC date and hour of its corrected timestamp', () => {
    expect(rawPartitionOf(at('2026-11-25T23:59:59.999Z'))).toEqual({ tenantId: 'acme', date: '2026-11-25', hour: '23' });
    expect(rawPartitionOf(at('2026-11-26T00:00:00Z'))).toEqual({ tenantId: 'acme', date: '2026-11-26', hour: '00' });
    // Not UTC: converted, not sliced.
    expect(rawPartitionOf(at('2026-11-26T01:30:00+02:00'))).toEqual({ tenantId: 'acme', date: '2026-11-25', hour: '23' });
    // Unreadable: receivedAt decides, so the record is still archived.
    expect(rawPartitionOf(at('not a time', '2026-11-25T07:00:00.000Z'))).toEqual({ tenantId: 'acme', date: '2026-11-25', hour: '07' });
  });

  it('names objects with 12-digit offsets and parses its own names back', () => {
    const name = { tenantId: 'acme', date: '2026-11-25', hour: '07', partition: 3, from: 1200, to: 1300 };
    const key = rawObjectKey(name);
    expect(key).toBe('raw/tenant=acme/date=2026-11-25/hour=07/p3-000000001200-000000001300.ndjson');
    expect(parseRawObjectKey(key)).toEqual(name);
    expect(parseRawObjectKey('archive/positions/p3.json')).toBeNull();
  });

  it('encodes the same records to the same bytes, one object per tenant and hour, lines in log order', () => {
    const records = [
      { partition: 1, offset: 10, key: 'acme', value: at('2026-11-25T10:05:00.000Z') },
      { partition: 1, offset: 11, key: 'acme', value: { ...at('2026-11-25T11:05:00.000Z'), messageId: 'x' } },
      { partition: 1, offset: 12, key: 'acme', value: { ...at('2026-11-25T10:06:00.000Z'), messageId: 'y' } },
    ];
    const objects = encodeRawObjects(1, 10, 13, records);
    expect(objects.map((o) => o.key)).toEqual([
      'raw/tenant=acme/date=2026-11-25/hour=10/p1-000000000010-000000000013.ndjson',
      'raw/tenant=acme/date=2026-11-25/hour=11/p1-000000000010-000000000013.ndjson',
    ]);
    expect(objects[0]!.body.toString('utf8')).toBe(`${JSON.stringify(records[0]!.value)}\n${JSON.stringify(records[2]!.value)}\n`);
    expect(encodeRawObjects(1, 10, 13, structuredClone(records))).toEqual(objects);
  });

  it("writes a record's JSON bytes as its line when the log gave them, without serialising the value", () => {
    const value = at('2026-11-25T10:05:00.000Z');
    // Bytes that differ from JSON.stringify(value) (keys in another order, a non-ASCII text) show which one the line is.
    const { tenantId, ...rest } = value;
    const bytes = Buffer.from(JSON.stringify({ ...rest, tenantId, note: 'café' }));
    const [object] = encodeRawObjects(0, 0, 2, [
      { partition: 0, offset: 0, key: 'acme', value, jsonBytes: bytes },
      { partition: 0, offset: 1, key: 'acme', value },
    ]);
    expect(object!.body).toEqual(Buffer.concat([bytes, Buffer.from(`\n${JSON.stringify(value)}\n`)]));
  });
});
