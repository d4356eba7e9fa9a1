import { hash64Words } from './hash64.ts';

/** 2^14 registers: standard error 1.04 / sqrt(16384) ≈ 0.81 %; 16 KiB per sketch. */
export const HLL_PRECISION = 14;
export const HLL_REGISTERS = 1 << HLL_PRECISION;
/** Relative standard error of an estimate; ~99.7 % of estimates fall within 3× this. */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(HLL_REGISTERS);

const FORMAT_VERSION = 1;
const HEADER = 2;
// Bits left after the register index; a register holds 1 + leading zeros of them, so 0..Q+1.
const Q = 64 - HLL_PRECISION;
// The top word holds the 14 index bits and the first 18 bits of the rest.
const HIGH_REST_BITS = 32 - HLL_PRECISION;
const HIGH_REST_MASK = (1 << HIGH_REST_BITS) - 1;

/** Where one value lands: the register it touches and the rank it offers there. */
export interface HllPoint {
  index: number;
  rank: number;
}

/** The register update a value makes; the speed layer ships these instead of whole sketches. */
export function hllPoint(value: string): HllPoint {
  const [high, low] = hash64Words(value);
  const index = high >>> HIGH_REST_BITS;
  const restHigh = high & HIGH_REST_MASK;
  // 1 + leading zeros of the Q bits after the index (Q + 1 when all are zero), on two 32-bit words.
  const zeros = restHigh !== 0 ? Math.clz32(restHigh) - HLL_PRECISION : HIGH_REST_BITS + Math.clz32(low);
  return { index, rank: zeros + 1 };
}

/**
 * HyperLogLog with precision 14 and 8-bit registers, estimated with Ertl's improved raw
 * estimator ("New cardinality estimation algorithms for HyperLogLog sketches", 2017), which
 * is accurate from 0 to billions without bias tables. Merge is register-wise max, so it is
 * associative, commutative and idempotent: per-minute sketches merge into hours, days and
 * across the speed/batch boundary.
 *
 * Byte format (version 1): [1, 14, register 0, ..., register 16383]. Stores may keep the bare
 * register array instead (a shorter array means the missing registers are 0), or only the
 * non-zero registers as [index u16 big-endian, rank u8] triples (`fromSparse`).
 *
 * A sketch read from sparse triples stays sparse until something needs its registers: merging
 * it into another sketch and estimating it cost one step per non-zero register instead of 16,384
 * (a quarter hour's sketch holds as many registers as it saw identities, usually few). Dense
 * loops step over four registers at a time and skip all-zero words.
 *
 * @example
 * const day = new HyperLogLog();
 * for (const quarter of quarters) day.merge(quarter); // quarter: HyperLogLog.fromSparse(bytes)
 * Math.round(day.estimate());
 */
export class HyperLogLog {
  private dense: Uint8Array | null = null;
  /** False while `dense` is shared with a clone (either side copies it before its first write). */
  private denseOwned = true;
  private words: Uint32Array | null = null;
  /** Sorted [index u16 BE, rank u8] triples in the first `sparseLength` bytes, when not dense. */
  private sparse: Uint8Array | null = null;
  private sparseLength = 0;
  /** False while `sparse` is a caller's bytes (`fromSparse`): copied before the first write. */
  private sparseOwned = false;

  /**
   * An empty sketch, or a copy of a register array (a store's bytes: later changes to them do not
   * show here). Either starts sparse while it has few non-zero registers.
   */
  constructor(registers?: Uint8Array) {
    const triples = registers ? sparseCopy(registers.subarray(0, HLL_REGISTERS)) : EMPTY;
    if (triples) this.useSparse(triples, triples.length, triples !== EMPTY);
    else this.useDense(new Uint8Array(HLL_REGISTERS)).set(registers!.subarray(0, HLL_REGISTERS));
  }

  /**
   * A sketch over non-zero registers given as [index u16 big-endian, rank u8] triples with
   * strictly increasing indices (the batch views' column). The bytes are kept, not copied, and
   * never written: the caller must not change them either.
   */
  static fromSparse(triples: Uint8Array): HyperLogLog {
    let previous = -1;
    let ordered = triples.length % 3 === 0;
    for (let i = 0; ordered && i < triples.length; i += 3) {
      const index = (triples[i]! << 8) | triples[i + 1]!;
      ordered = index > previous && index < HLL_REGISTERS;
      previous = index;
    }
    const sketch = new HyperLogLog();
    if (!ordered) return sketch.mergeTriples(triples, triples.length);
    sketch.useSparse(triples, triples.length, false);
    return sketch;
  }

  /** The 16,384 registers, to read only (a clone may share them); a sparse sketch becomes dense on first access. */
  get registers(): Uint8Array {
    return this.densify();
  }

  /**
   * An independent copy, in constant time: both sketches share the bytes until one of them
   * writes, which copies them first (a reader that only estimates or merges from its copy, as
   * queries do, never pays for 16 KiB).
   */
  clone(): HyperLogLog {
    const copy = new HyperLogLog();
    if (this.dense) {
      copy.useDense(this.dense, false);
      this.denseOwned = false;
    } else {
      copy.useSparse(this.sparse!, this.sparseLength, false);
      this.sparseOwned = false;
    }
    return copy;
  }

  add(value: string): this {
    return this.addPoint(hllPoint(value));
  }

  addPoint({ index, rank }: HllPoint): this {
    if (this.dense) {
      if (rank > this.dense[index]!) this.writable()[index] = rank;
      return this;
    }
    // Binary search of the sorted triples, then an update or an insertion in place.
    let lo = 0;
    let hi = this.sparseLength / 3;
    let triples = this.sparse!;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const at = (triples[mid * 3]! << 8) | triples[mid * 3 + 1]!;
      if (at < index) lo = mid + 1;
      else hi = mid;
    }
    const offset = lo * 3;
    const found = offset < this.sparseLength && ((triples[offset]! << 8) | triples[offset + 1]!) === index;
    if (found && rank <= triples[offset + 2]!) return this;
    if (!found && this.sparseLength / 3 >= SPARSE_LIMIT) {
      this.writable()[index] = rank;
      return this;
    }
    const length = this.sparseLength + (found ? 0 : 3);
    if (!this.sparseOwned || length > triples.length) {
      const grown = new Uint8Array(Math.max(48, length, found ? triples.length : triples.length * 2));
      grown.set(triples.subarray(0, this.sparseLength));
      this.useSparse((triples = grown), this.sparseLength, true);
    }
    if (!found) {
      triples.copyWithin(offset + 3, offset, this.sparseLength);
      triples[offset] = index >> 8;
      triples[offset + 1] = index & 0xff;
    }
    triples[offset + 2] = rank;
    this.sparseLength = length;
    return this;
  }

  merge(other: HyperLogLog): this {
    if (other.sparse) return this.mergeTriples(other.sparse, other.sparseLength);
    const mine = this.writable();
    const theirs = other.dense!;
    const words = other.words!;
    for (let w = 0; w < HLL_REGISTERS / 4; w++) {
      if (words[w] === 0) continue;
      for (let i = w * 4, end = i + 4; i < end; i++) if (theirs[i]! > mine[i]!) mine[i] = theirs[i]!;
    }
    return this;
  }

  estimate(): number {
    const m = HLL_REGISTERS;
    const histogram = new Float64Array(Q + 2);
    if (this.sparse) {
      const triples = this.sparse;
      for (let i = 2; i < this.sparseLength; i += 3) histogram[triples[i]!]!++;
      histogram[0] = m - this.sparseLength / 3;
    } else {
      const words = this.words!;
      let zeroWords = 0;
      for (let w = 0; w < m / 4; w++) {
        const x = words[w]!;
        if (x === 0) {
          zeroWords++;
          continue;
        }
        histogram[x & 0xff]!++;
        histogram[(x >>> 8) & 0xff]!++;
        histogram[(x >>> 16) & 0xff]!++;
        histogram[x >>> 24]!++;
      }
      histogram[0]! += zeroWords * 4;
    }
    let z = m * tau(1 - histogram[Q + 1]! / m);
    for (let k = Q; k >= 1; k--) z = 0.5 * (z + histogram[k]!);
    z += m * sigma(histogram[0]! / m);
    return (m * m) / (2 * Math.LN2 * z);
  }

  toBytes(): Uint8Array {
    const bytes = new Uint8Array(HEADER + HLL_REGISTERS);
    bytes[0] = FORMAT_VERSION;
    bytes[1] = HLL_PRECISION;
    bytes.set(this.registers, HEADER);
    return bytes;
  }

  static fromBytes(bytes: Uint8Array): HyperLogLog {
    if (bytes.length !== HEADER + HLL_REGISTERS || bytes[0] !== FORMAT_VERSION || bytes[1] !== HLL_PRECISION) {
      throw new Error(`Not a version ${FORMAT_VERSION} precision ${HLL_PRECISION} HyperLogLog (${bytes.length} bytes)`);
    }
    return new HyperLogLog(bytes.subarray(HEADER));
  }

  private useSparse(triples: Uint8Array, length: number, owned: boolean): void {
    this.sparse = triples;
    this.sparseLength = length;
    this.sparseOwned = owned;
    this.dense = null;
    this.words = null;
  }

  private useDense(registers: Uint8Array, owned = true): Uint8Array {
    this.dense = registers;
    this.denseOwned = owned;
    this.words = new Uint32Array(registers.buffer, registers.byteOffset, HLL_REGISTERS / 4);
    this.sparse = null;
    this.sparseLength = 0;
    return registers;
  }

  private mergeTriples(triples: Uint8Array, length: number): this {
    const mine = this.writable();
    for (let i = 0; i + 2 < length; i += 3) {
      const index = (triples[i]! << 8) | triples[i + 1]!;
      if (index < HLL_REGISTERS && triples[i + 2]! > mine[index]!) mine[index] = triples[i + 2]!;
    }
    return this;
  }

  /** The registers, this sketch's own (copied first if a clone shares them), to write into. */
  private writable(): Uint8Array {
    const registers = this.densify();
    return this.denseOwned ? registers : this.useDense(registers.slice());
  }

  private densify(): Uint8Array {
    if (this.dense) return this.dense;
    const triples = this.sparse!;
    const length = this.sparseLength;
    const registers = this.useDense(new Uint8Array(HLL_REGISTERS));
    for (let i = 0; i < length; i += 3) registers[(triples[i]! << 8) | triples[i + 1]!] = triples[i + 2]!;
    return registers;
  }
}

const EMPTY = new Uint8Array(0);

/** Past this many non-zero registers a sparse copy stops paying for itself (3 bytes each vs 16 KiB). */
const SPARSE_LIMIT = 1024;

const scratch = new Uint8Array((SPARSE_LIMIT + 4) * 3);

/** The non-zero registers as sorted triples, or null when there are more than SPARSE_LIMIT. */
function sparseCopy(registers: Uint8Array): Uint8Array | null {
  const end = registers.length;
  let k = 0;
  let i = 0;
  if (registers.byteOffset % 4 === 0) {
    // Four registers per step: most words of a small sketch are zero.
    const words = new Uint32Array(registers.buffer, registers.byteOffset, end >> 2);
    for (let w = 0; w < words.length; w++) {
      if (words[w] === 0) continue;
      for (let j = w << 2, last = j + 4; j < last; j++) {
        const rank = registers[j]!;
        if (rank === 0) continue;
        scratch[k] = j >> 8;
        scratch[k + 1] = j & 0xff;
        scratch[k + 2] = rank;
        k += 3;
      }
      if (k > SPARSE_LIMIT * 3) return null;
    }
    i = words.length << 2;
  }
  for (; i < end; i++) {
    const rank = registers[i]!;
    if (rank === 0) continue;
    if (k >= SPARSE_LIMIT * 3) return null;
    scratch[k] = i >> 8;
    scratch[k + 1] = i & 0xff;
    scratch[k + 2] = rank;
    k += 3;
  }
  return scratch.slice(0, k);
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let previous: number;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (z !== previous);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let previous: number;
  do {
    x = Math.sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
  } while (z !== previous);
  return z / 3;
}
