import { describe, expect, it } from 'vitest';
import { HyperLogLog, LEGACY_EXACT_TAG, SKETCH_FORMAT_VERSION } from '../../src/sketches/index.ts';
import { legacyExactBytes, registersOf } from '../support/legacy-sketch.ts';

const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `person-${from + i}`);
const sketchOf = (values: string[]) => values.reduce((h, v) => h.add(v), new HyperLogLog());
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('sketches stored with SHA-256 hashes (format version 2)', () => {
  it('write format version 3, and read version 2 exact sketches as the exact count of their hashes, writing them back unchanged', () => {
    expect(sketchOf(ids(0, 3)).toBytes()[0]).toBe(0x80 + SKETCH_FORMAT_VERSION);
    const stored = legacyExactBytes(ids(0, 40));
    const legacy = HyperLogLog.fromStored(stored, 'triples');
    expect(legacy.isExact).toBe(true);
    expect(legacy.estimate()).toBe(40);
    expect(hex(legacy.toBytes())).toBe(hex(stored));
    expect(hex(legacy.clone().toBytes())).toBe(hex(stored));
    // Nothing hands SHA-256 hashes on as if they were current ones (the Redis store's exact path).
    expect(legacy.exactHashes()).toBeNull();
  });

  it('never join xxHash64 hashes: merged either way, both sides turn into the registers of their own hashes', () => {
    const old = ids(0, 40);
    const current = ids(20, 40);
    const expected = hex(registersOf(old, current));
    for (const merged of [
      HyperLogLog.fromBytes(legacyExactBytes(old)).merge(sketchOf(current)),
      sketchOf(current).merge(HyperLogLog.fromBytes(legacyExactBytes(old))),
      HyperLogLog.fromBytes(legacyExactBytes(old)).add(current[0]!).merge(sketchOf(current)),
    ]) {
      expect(merged.isExact).toBe(false);
      expect(hex(merged.registers)).toBe(expected);
    }
  });

  it('merge exactly with each other, and an empty sketch takes on the hashes of what it merges first', () => {
    const merged = new HyperLogLog().merge(HyperLogLog.fromBytes(legacyExactBytes(ids(0, 30)))).merge(HyperLogLog.fromBytes(legacyExactBytes(ids(10, 30))));
    expect(merged.isExact).toBe(true);
    expect(merged.estimate()).toBe(40);
    expect(hex(merged.toBytes())).toBe(hex(legacyExactBytes(ids(0, 40))));
    expect(merged.toBytes()[0]).toBe(LEGACY_EXACT_TAG);
  });
});
