import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hash64 } from '../../src/sketches/hash64.ts';
import { HLL_REGISTERS, HLL_STANDARD_ERROR, HyperLogLog, hllPoint } from '../../src/sketches/hyperloglog.ts';

const sketchOf = (values: string[]) => values.reduce((h, v) => h.add(v), new HyperLogLog());
const bytes = (h: HyperLogLog) => Buffer.from(h.toBytes()).toString('hex');
/** The same values as registers only, as the stores kept them before the format had versions. */
const registersOnly = (values: string[]) => new HyperLogLog(sketchOf(values).registers);
const regs = (h: HyperLogLog) => Buffer.from(h.registers).toString('hex');

describe('hash64', () => {
  it('is xxHash64 with seed 0 over the UTF-8 bytes (the reference vectors)', () => {
    expect(hash64('')).toBe(0xef46db3751d8e999n);
    expect(hash64('abc')).toBe(0x44bc2cf5ad770999n);
  });
});

describe('HyperLogLog', () => {
  it('maps a value to a register by its top 14 bits and ranks by leading zeros', () => {
    const point = hllPoint('abc');
    expect(point.index).toBe(Number(0x44bc2cf5ad770999n >> 50n));
    // 0x44bc_2cf5... = 0100 0100 1011 11|00 0010 1100...: four zeros after the index, rank 5.
    expect(point.rank).toBe(5);
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

  it('round-trips through its byte format in every form, reads version 1, and rejects foreign bytes', () => {
    const exact = sketchOf(['x', 'y', 'z']);
    expect(exact.toBytes()).toHaveLength(3 + 3 * 8);
    const few = registersOnly(['x', 'y', 'z']);
    expect(few.toBytes()).toHaveLength(3 + 3 * 3);
    const many = registersOnly(Array.from({ length: 20_000 }, (_, i) => `m${i}`));
    expect(many.toBytes()).toHaveLength(3 + HLL_REGISTERS);
    for (const h of [exact, few, many]) {
      const again = HyperLogLog.fromBytes(h.toBytes());
      expect(bytes(again)).toBe(bytes(h));
      expect(again.estimate()).toBe(h.estimate());
    }
    const v1 = new Uint8Array(2 + HLL_REGISTERS);
    v1.set([1, 14]);
    v1.set(few.registers, 2);
    expect(regs(HyperLogLog.fromBytes(v1))).toBe(regs(few));
    expect(() => HyperLogLog.fromBytes(new Uint8Array(10))).toThrow(/sketch/);
  });

  it('reads a bare register array shorter than the full width as zero-padded', () => {
    const h = new HyperLogLog(new Uint8Array([0, 0, 3]));
    expect(h.registers[2]).toBe(3);
    expect(h.registers).toHaveLength(HLL_REGISTERS);
  });

  it('a sparse sketch merges, estimates and serialises exactly like its dense twin, and keeps its bytes intact', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 300 }), fc.array(fc.string(), { maxLength: 30 }), (values, more) => {
        const dense = registersOnly(values);
        const triples: number[] = [];
        dense.registers.forEach((rank, index) => {
          if (rank > 0) triples.push(index >> 8, index & 0xff, rank);
        });
        const raw = new Uint8Array(triples);
        const copy = Buffer.from(raw).toString('hex');
        const sparse = HyperLogLog.fromSparse(raw);
        expect(sparse.estimate()).toBe(dense.estimate());
        expect(regs(new HyperLogLog().merge(sketchOf(more)).merge(sparse))).toBe(regs(sketchOf([...more, ...values])));
        expect(regs(HyperLogLog.fromSparse(raw).add('extra'))).toBe(regs(sketchOf([...values, 'extra'])));
        expect(bytes(sparse)).toBe(bytes(dense));
        expect(Buffer.from(raw).toString('hex')).toBe(copy);
        // Clones are independent in every form, and a copy of a store's registers does not follow them.
        for (const original of [HyperLogLog.fromSparse(raw), registersOnly(values), new HyperLogLog(dense.registers)]) {
          const clone = original.clone().add('only in the clone');
          expect(bytes(original)).toBe(bytes(dense));
          expect(regs(clone)).toBe(regs(sketchOf([...values, 'only in the clone'])));
        }
        const exact = sketchOf(values);
        const exactClone = exact.clone().add('only in the clone');
        expect(exact.estimate()).toBe(new Set(values).size);
        expect(exactClone.estimate()).toBe(new Set([...values, 'only in the clone']).size);
        const live = registersOnly(values).registers;
        const snapshot = new HyperLogLog(live);
        live[0] = 51;
        expect(bytes(snapshot)).toBe(bytes(dense));
      }),
      { numRuns: 200 },
    );
  });

  it('reads unordered or out-of-range triples by register maximum, as the dense form would', () => {
    // Index 5 twice (ranks 2 then 7), index 1 after it, and an index past the last register.
    const sketch = HyperLogLog.fromSparse(new Uint8Array([0, 5, 2, 0, 5, 7, 0, 1, 3, 0xff, 0xff, 9]));
    expect([sketch.registers[1], sketch.registers[5]]).toEqual([3, 7]);
    expect(sketch.registers.reduce((n, r) => n + (r > 0 ? 1 : 0), 0)).toBe(2);
    expect(HyperLogLog.fromSparse(new Uint8Array(0)).estimate()).toBe(0);
  });

  it('counts registers by whole words the same as one by one (every rank, zero words, partly zero words)', () => {
    const registers = new Uint8Array(HLL_REGISTERS);
    // Ranks 1..51 spread out, whole zero words in between, and words with a single non-zero byte.
    for (let i = 0; i < HLL_REGISTERS; i += 3) if (i % 97 !== 0) registers[i] = 1 + ((i * 7) % 51);
    registers.fill(0, 8000, 9000);
    const triples = [...registers].flatMap((rank, index) => (rank > 0 ? [index >> 8, index & 0xff, rank] : []));
    const dense = new HyperLogLog(registers);
    const sparse = HyperLogLog.fromSparse(new Uint8Array(triples));
    expect(dense.estimate()).toBe(sparse.estimate());
    expect(Number.isFinite(dense.estimate())).toBe(true);
  });

  it('clones share bytes until either side writes: neither ever sees the other change', () => {
    const of = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    // Sparse (a few ids) and dense (past the sparse limit), and every way of writing: add, merge of sparse, merge of dense.
    for (const size of [5, 5000]) {
      for (const write of [(h: HyperLogLog) => h.add('new-one'), (h: HyperLogLog) => h.merge(sketchOf(of('s', 3))), (h: HyperLogLog) => h.merge(sketchOf(of('d', 4000)))]) {
        // References built apart: looking at a sketch's registers makes a sparse one dense.
        const untouched = sketchOf(of('v', size));
        const written = write(sketchOf(of('v', size)));
        const original = sketchOf(of('v', size));
        const copy = original.clone();
        write(original);
        expect(Buffer.from(copy.registers).equals(Buffer.from(untouched.registers)), `clone after the original's write (${size})`).toBe(true);
        const other = sketchOf(of('v', size));
        const again = other.clone();
        write(again);
        again.add('only-in-the-clone');
        expect(Buffer.from(other.registers).equals(Buffer.from(untouched.registers)), `original after the clone's write (${size})`).toBe(true);
        expect(Buffer.from(original.registers).equals(Buffer.from(written.registers))).toBe(true);
      }
    }
  });
});
