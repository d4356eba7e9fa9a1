import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash64 } from '../../src/sketches/hash64.ts';
import { HLL_REGISTERS, HyperLogLog, hashPoint, hllPoint } from '../../src/sketches/hyperloglog.ts';
import { EXACT_LIMIT, SKETCH_TAG } from '../../src/sketches/sketch-format.ts';

const sketchOf = (values: string[]) => values.reduce((h, v) => h.add(v), new HyperLogLog());
const bytes = (h: HyperLogLog) => Buffer.from(h.toBytes()).toString('hex');
const regs = (h: HyperLogLog) => Buffer.from(h.registers).toString('hex');
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
/** The same values as registers only: what the stores kept before the format had versions. */
const registersOnly = (values: string[]) => new HyperLogLog(sketchOf(values).registers);

describe('exact sketches', () => {
  it('count every distinct value exactly up to EXACT_LIMIT, whatever the repeats, then turn into the HyperLogLog of the same values', () => {
    const values = ids('p', EXACT_LIMIT);
    const sketch = new HyperLogLog();
    values.forEach((v, i) => sketch.add(v).add(values[i >> 1]!));
    expect(sketch.isExact).toBe(true);
    expect(sketch.estimate()).toBe(EXACT_LIMIT);
    expect(sketch.toBytes()).toHaveLength(3 + EXACT_LIMIT * 8);
    sketch.add(values[7]!);
    expect(sketch.estimate()).toBe(EXACT_LIMIT);
    sketch.add('one more');
    expect(sketch.isExact).toBe(false);
    expect(regs(sketch)).toBe(regs(registersOnly([...values, 'one more'])));
    expect(sketch.estimate()).toBe(registersOnly([...values, 'one more']).estimate());
  });

  it('place each hash in the register hllPoint gives', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(hashPoint(hash64(value))).toEqual(hllPoint(value));
      }),
      { numRuns: 500 },
    );
  });

  it('merge into the same bytes as one sketch of all values, in any grouping and order, below and past the limit', () => {
    const sizes = fc.constantFrom(0, 3, 200, EXACT_LIMIT - 50, EXACT_LIMIT + 50);
    fc.assert(
      fc.property(sizes, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 2 ** 31 }), (n, groups, seed) => {
        const values = ids(`s${seed}-`, n);
        const parts = Array.from({ length: groups }, () => new HyperLogLog());
        values.forEach((v, i) => parts[(i * 7 + seed) % groups]!.add(v));
        const forward = parts.reduce((acc, p) => acc.merge(p), new HyperLogLog());
        const backward = [...parts].reverse().reduce((acc, p) => acc.merge(p.clone()), new HyperLogLog());
        const nested = new HyperLogLog().merge(parts[0]!).merge(parts.slice(1).reduce((acc, p) => acc.merge(p), new HyperLogLog()));
        const whole = sketchOf(values);
        for (const merged of [forward, backward, nested, forward.clone().merge(forward)]) expect(bytes(merged)).toBe(bytes(whole));
        expect(whole.isExact).toBe(n <= EXACT_LIMIT);
        if (n <= EXACT_LIMIT) expect(whole.estimate()).toBe(n);
      }),
      { numRuns: 40 },
    );
  });

  it('merged with a registers-only sketch turn into registers: the register maxima of both', () => {
    const merged = sketchOf(ids('a', 30)).merge(registersOnly(ids('b', 40)));
    expect(merged.isExact).toBe(false);
    expect(regs(merged)).toBe(regs(sketchOf([...ids('a', 30), ...ids('b', 40)])));
    const other = registersOnly(ids('b', 40)).merge(sketchOf(ids('a', 30)));
    expect(bytes(other)).toBe(bytes(merged));
    // An empty sketch in any form changes nothing: a bucket without events is a real zero.
    const exact = sketchOf(ids('a', 30)).merge(HyperLogLog.fromSparse(new Uint8Array(0))).merge(new HyperLogLog(new Uint8Array(HLL_REGISTERS)));
    expect(exact.isExact).toBe(true);
  });

  it('share their hashes with clones and with merges into an empty sketch, and neither side sees the other change', () => {
    const original = sketchOf(ids('o', 100));
    const clone = original.clone();
    const adopted = new HyperLogLog().merge(original);
    original.add('only in the original');
    clone.add('only in the clone').add('and another');
    adopted.merge(sketchOf(ids('x', EXACT_LIMIT)));
    expect([original.estimate(), clone.estimate()]).toEqual([101, 102]);
    expect(adopted.isExact).toBe(false);
    expect(bytes(original)).toBe(bytes(sketchOf([...ids('o', 100), 'only in the original'])));
    expect(bytes(clone)).toBe(bytes(sketchOf([...ids('o', 100), 'only in the clone', 'and another'])));
  });

  it('read every stored form: version 2 (tagged), Redis bare registers, Parquet bare triples, version 1', () => {
    const values = ids('v', 300);
    const exact = sketchOf(values);
    const legacy = registersOnly(values);
    const triples = [...legacy.registers].flatMap((rank, index) => (rank > 0 ? [index >> 8, index & 0xff, rank] : []));
    expect(exact.toBytes()[0]).toBe(SKETCH_TAG);
    for (const unversioned of ['registers', 'triples'] as const) {
      const again = HyperLogLog.fromStored(exact.toBytes(), unversioned);
      expect(again.isExact).toBe(true);
      expect(again.estimate()).toBe(300);
      expect(bytes(HyperLogLog.fromStored(legacy.toBytes(), unversioned))).toBe(bytes(legacy));
    }
    expect(regs(HyperLogLog.fromStored(legacy.registers.slice(0, 9000), 'registers'))).toBe(regs(registersOnly(values.filter((v) => hllPoint(v).index < 9000))));
    expect(regs(HyperLogLog.fromStored(new Uint8Array(triples), 'triples'))).toBe(regs(legacy));
    // Hashes out of order or repeated (another writer) read as their sorted set.
    const body = exact.toBytes().subarray(3);
    const shuffled = new Uint8Array(3 + body.length + 8);
    shuffled.set(exact.toBytes().subarray(0, 3));
    for (let i = 0; i < 300; i++) shuffled.set(body.subarray((299 - i) * 8, (300 - i) * 8), 3 + i * 8);
    shuffled.set(body.subarray(0, 8), 3 + 300 * 8);
    expect(bytes(HyperLogLog.fromBytes(shuffled))).toBe(bytes(exact));
    expect(() => HyperLogLog.fromBytes(new Uint8Array([SKETCH_TAG, 14, 0, 1, 2]))).toThrow(/sketch/);
  });
});
