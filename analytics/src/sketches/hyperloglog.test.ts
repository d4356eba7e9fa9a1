import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash64 } from './hash64.ts';
import { HLL_REGISTERS, HLL_STANDARD_ERROR, HyperLogLog, hllPoint } from './hyperloglog.ts';

const sketchOf = (values: string[]) => values.reduce((h, v) => h.add(v), new HyperLogLog());
const bytes = (h: HyperLogLog) => Buffer.from(h.toBytes()).toString('hex');

describe('hash64', () => {
  it('is the first 8 bytes of SHA-256, so other engines can reproduce it', () => {
    // sha256("abc") = ba7816bf8f01cfea414140de5dae2223...
    expect(hash64('abc')).toBe(0xba7816bf8f01cfean);
  });
});

describe('HyperLogLog', () => {
  it('maps a value to a register by its top 14 bits and ranks by leading zeros', () => {
    const point = hllPoint('abc');
    expect(point.index).toBe(Number(0xba7816bf8f01cfean >> 50n));
    // 0xba78_16bf... = 1011 1010 0111 10|00 0001 0110...: five zeros after the index, rank 6.
    expect(point.rank).toBe(6);
  });

  it('places every value exactly as the 64-bit definition says', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const hash = hash64(value);
        const rest = hash & ((1n << 50n) - 1n);
        expect(hllPoint(value)).toEqual({ index: Number(hash >> 50n), rank: rest === 0n ? 51 : 50 - rest.toString(2).length + 1 });
      }),
      { numRuns: 2000 },
    );
  });

  it.each([0, 1, 10, 1_000, 10_000, 100_000])('estimates %i distinct values within 3 standard errors', (n) => {
    const h = new HyperLogLog();
    for (let i = 0; i < n; i++) h.add(`user-${i}`);
    // Small cardinalities are almost exact (linear-counting regime); allow 1 absolute for them.
    expect(Math.abs(h.estimate() - n)).toBeLessThanOrEqual(Math.max(1, 3 * HLL_STANDARD_ERROR * n));
  });

  it('ignores repeats', () => {
    const once = sketchOf(['a', 'b', 'c']);
    const often = sketchOf(['a', 'b', 'c', 'a', 'b', 'c', 'c']);
    expect(bytes(often)).toBe(bytes(once));
  });

  it('merges 20k values split over many sketches into the same sketch as adding them all at once', () => {
    const parts = Array.from({ length: 10 }, () => new HyperLogLog());
    const whole = new HyperLogLog();
    for (let i = 0; i < 20_000; i++) {
      parts[i % 10]!.add(`s-${i}`);
      whole.add(`s-${i}`);
    }
    const merged = parts.reduce((acc, p) => acc.merge(p), new HyperLogLog());
    expect(bytes(merged)).toBe(bytes(whole));
    expect(Math.abs(merged.estimate() - 20_000) / 20_000).toBeLessThan(3 * HLL_STANDARD_ERROR);
  });

  it('merge is associative, commutative and idempotent', () => {
    const values = fc.array(fc.string(), { maxLength: 40 });
    fc.assert(
      fc.property(values, values, values, (a, b, c) => {
        const [x, y, z] = [sketchOf(a), sketchOf(b), sketchOf(c)];
        const left = new HyperLogLog().merge(x).merge(y).merge(z);
        const right = new HyperLogLog().merge(z).merge(new HyperLogLog().merge(y).merge(x));
        expect(bytes(left)).toBe(bytes(right));
        expect(bytes(new HyperLogLog().merge(x).merge(x))).toBe(bytes(x));
        expect(bytes(new HyperLogLog().merge(x).merge(y))).toBe(bytes(sketchOf([...a, ...b])));
      }),
      { numRuns: 100 },
    );
  });

  it('round-trips through its byte format and rejects foreign bytes', () => {
    const h = sketchOf(['x', 'y', 'z']);
    const again = HyperLogLog.fromBytes(h.toBytes());
    expect(bytes(again)).toBe(bytes(h));
    expect(h.toBytes()).toHaveLength(HLL_REGISTERS + 2);
    expect(() => HyperLogLog.fromBytes(new Uint8Array(10))).toThrow(/HyperLogLog/);
  });

  it('reads a bare register array shorter than the full width as zero-padded', () => {
    const h = new HyperLogLog(new Uint8Array([0, 0, 3]));
    expect(h.registers[2]).toBe(3);
    expect(h.registers).toHaveLength(HLL_REGISTERS);
  });
});
