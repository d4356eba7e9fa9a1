import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrames, scanFrames } from '../../src/log/log-frame.codec.ts';
import { testEvent } from '../support/log-test-events.fixture.ts';

/** A frame as the log has always written it: the payload is `JSON.stringify({ k, v })`. */
function frameOf(key: string, value: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify({ k: key, v: value }));
  const header = Buffer.alloc(8);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt32BE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

describe('log frames', () => {
  // Non-ASCII keys and values: byte lengths differ from string lengths.
  const records = [
    { key: 'acme', value: { ...testEvent('acme', 'a-1'), properties: { name: 'crème brûlée ☕', emoji: '🎉' } } },
    { key: 'acme', value: testEvent('acme', 'a-2') },
    { key: 'société', value: { ...testEvent('société', 's-1'), properties: { q: 'line\nbreak "quoted"' } } },
  ];

  it('writes a group of frames byte for byte as single JSON.stringify({ k, v }) frames, in one buffer', () => {
    const { data, starts } = encodeFrames(records.map(({ key, value }) => ({ key, json: JSON.stringify(value) })));
    const expected = records.map(({ key, value }) => frameOf(key, value));
    expect(data).toEqual(Buffer.concat(expected));
    expect(starts).toEqual(expected.map((_, i) => expected.slice(0, i).reduce((sum, f) => sum + f.length, 0)));
    expect(scanFrames(data)).toEqual({ starts, end: data.length });
  });

  it("hands back each value's JSON bytes, when writing and when reading, as views into the frames", () => {
    const { data, values } = encodeFrames(records.map(({ key, value }) => ({ key, json: JSON.stringify(value) })));
    expect(values.map((v) => v.toString('utf8'))).toEqual(records.map((r) => JSON.stringify(r.value)));
    expect(values.every((v) => v.buffer === data.buffer)).toBe(true);
    const decoded = decodeFrames(data);
    expect(decoded.map((d) => ({ key: d.key, value: d.value }))).toEqual(records);
    expect(decoded.map((d) => d.jsonBytes!.toString('utf8'))).toEqual(records.map((r) => JSON.stringify(r.value)));
    expect(decoded.every((d) => d.jsonBytes!.buffer === data.buffer)).toBe(true);
  });
});
