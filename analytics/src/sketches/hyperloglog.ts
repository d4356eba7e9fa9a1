import { NO_HASHES, isStrictlyIncreasing, readHashes, sortedDistinct, unionSorted, wordsOf, writeHashes } from './exact-hashes.ts';
import { hash64, hash64Words } from './hash64.ts';
import { EXACT_LIMIT, LEGACY_EXACT_TAG, SKETCH_FORM, SKETCH_HEADER_BYTES, SKETCH_TAG } from './sketch-format.ts';

/** 2^14 registers: standard error 1.04 / sqrt(16384) ≈ 0.81 %; 16 KiB per sketch. */
export const HLL_PRECISION = 14;
export const HLL_REGISTERS = 1 << HLL_PRECISION;
/** Relative standard error of an estimate; ~99.7 % of estimates fall within 3× this. */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(HLL_REGISTERS);

// Version 1 of `toBytes`, still read: [1, 14, register 0, ..., register 16383].
const V1_VERSION = 1;
const V1_HEADER = 2;
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
  return pointOfWords(high, low);
}

/** The register update of a 64-bit hash (`hash64`'s value). */
export function hashPoint(hash: bigint): HllPoint {
  return pointOfWords(Number(hash >> 32n), Number(hash & 0xffffffffn));
}

function pointOfWords(high: number, low: number): HllPoint {
  const index = high >>> HIGH_REST_BITS;
  const restHigh = high & HIGH_REST_MASK;
  // 1 + leading zeros of the Q bits after the index (Q + 1 when all are zero), on two 32-bit words.
  const zeros = restHigh !== 0 ? Math.clz32(restHigh) - HLL_PRECISION : HIGH_REST_BITS + Math.clz32(low);
  return { index, rank: zeros + 1 };
}

/**
 * A unique-count sketch: exact while it has seen at most EXACT_LIMIT distinct 64-bit hashes
 * (it keeps them, sorted), then a HyperLogLog with precision 14 and 8-bit registers, estimated
 * with Ertl's improved raw estimator ("New cardinality estimation algorithms for HyperLogLog
 * sketches", 2017), which is accurate from 0 to billions without bias tables. Its state depends
 * only on the set of hashes it has seen, so merge (union, or register-wise max once either side
 * holds registers) is associative, commutative and idempotent: per-minute sketches merge into
 * hours, days and across the speed/batch boundary, exactly while the union stays small.
 *
 * Byte format: `sketch-format.ts` (version 3). Still read: version 2 (its exact form holds SHA-256
 * hashes: merged with xxHash64 ones, both sides turn into registers, since one identity has a
 * different hash in each and a union of the two sets would count it twice), version 1 [1, 14, registers], the bare
 * register array Redis kept (a shorter array means the missing registers are 0) and bare
 * [index u16 big-endian, rank u8] triples the Parquet views kept (`fromSparse`); these carry no
 * hashes, so they count approximately, and so does anything merged with them.
 *
 * Hashes added or merged into an exact sketch wait unsorted in `pending` until something reads
 * the set (or pending outgrows it), so folding many small cells costs one sort, not one merge
 * each.
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
  /** The exact form's sorted distinct hashes (never written: clones share them); null once registers. */
  private exact: BigUint64Array | null = NO_HASHES;
  /** True while `exact` holds SHA-256 hashes (format version 2), which never join xxHash64 ones. */
  private legacyHashes = false;
  private pending: BigUint64Array | null = null;
  private pendingLength = 0;
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
   * An empty (exact) sketch, or a copy of a register array (a store's bytes: later changes to
   * them do not show here), sparse while it has few non-zero registers; all zero is empty.
   */
  constructor(registers?: Uint8Array) {
    if (!registers) return;
    const triples = sparseCopy(registers.subarray(0, HLL_REGISTERS));
    if (triples?.length === 0) return;
    if (triples) this.useSparse(triples, triples.length, true);
    else this.useDense(new Uint8Array(HLL_REGISTERS)).set(registers.subarray(0, HLL_REGISTERS));
  }

  /** True while the sketch holds its hashes (its estimate is the exact count of distinct hashes). */
  get isExact(): boolean {
    this.settle();
    return this.exact !== null;
  }

  /** The distinct xxHash64 hashes as 8-byte big-endian words, ascending; null once the sketch holds registers (or SHA-256 hashes). */
  exactHashes(): Uint8Array | null {
    this.settle();
    if (!this.exact || this.legacyHashes) return null;
    const bytes = new Uint8Array(this.exact.length * 8);
    writeHashes(this.exact, bytes, 0);
    return bytes;
  }

  /**
   * A sketch over non-zero registers given as [index u16 big-endian, rank u8] triples with
   * strictly increasing indices (the batch views' column). The bytes are kept, not copied, and
   * never written: the caller must not change them either.
   */
  static fromSparse(triples: Uint8Array): HyperLogLog {
    if (triples.length === 0) return new HyperLogLog();
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

  /**
   * The 16,384 registers, to read only (a clone may share them); a sparse sketch becomes dense on
   * first access, an exact one answers a new array each time and stays exact.
   */
  get registers(): Uint8Array {
    this.settle();
    if (this.exact) return registersOf(this.exact);
    return this.densify();
  }

  /**
   * An independent copy, in constant time: both sketches share the bytes until one of them
   * writes, which copies them first (a reader that only estimates or merges from its copy, as
   * queries do, never pays for 16 KiB).
   */
  clone(): HyperLogLog {
    const copy = new HyperLogLog();
    this.settle();
    if (this.exact) {
      copy.exact = this.exact;
      copy.legacyHashes = this.legacyHashes;
    } else if (this.dense) {
      copy.useDense(this.dense, false);
      this.denseOwned = false;
    } else {
      copy.useSparse(this.sparse!, this.sparseLength, false);
      this.sparseOwned = false;
    }
    return copy;
  }

  add(value: string): this {
    return this.exact ? this.addHash(hash64(value)) : this.addPoint(hllPoint(value));
  }

  /** Adds one value by its `hash64`. */
  addHash(hash: bigint): this {
    if (this.legacyHashes) this.promote();
    if (this.exact) this.reserve(1);
    if (!this.exact) return this.addPoint(hashPoint(hash));
    this.pending![this.pendingLength++] = hash;
    return this;
  }

  /** A register update without its hash: an exact sketch turns into registers first. */
  addPoint({ index, rank }: HllPoint): this {
    if (this.exact) this.promote();
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
    if (other === this) return this;
    if (other.exact) {
      const theirs = other.pendingLength > 0 ? other.pending!.subarray(0, other.pendingLength) : NO_HASHES;
      const empty = this.exact !== null && this.exact.length === 0 && this.pendingLength === 0;
      if (empty) this.legacyHashes = other.legacyHashes;
      else if (this.exact && this.legacyHashes !== other.legacyHashes && other.exact.length + theirs.length > 0) this.promote();
      if (empty && theirs.length === 0) {
        this.exact = other.exact;
        return this;
      }
      if (this.exact) this.reserve(other.exact.length + theirs.length);
      if (!this.exact) {
        for (const hashes of [other.exact, theirs]) forEachPoint(hashes, (point) => this.addPoint(point));
        return this;
      }
      this.pending!.set(other.exact, this.pendingLength);
      this.pending!.set(theirs, this.pendingLength + other.exact.length);
      this.pendingLength += other.exact.length + theirs.length;
      return this;
    }
    if (this.exact) this.promote();
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
    this.settle();
    if (this.exact) return this.exact.length;
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

  /** Format version 3 (`sketch-format.ts`; 2 for SHA-256 hashes read from it): the hashes while exact, else the registers or their non-zero triples, whichever is smaller. */
  toBytes(): Uint8Array {
    this.settle();
    const header = (form: number, body: number) => {
      const bytes = new Uint8Array(SKETCH_HEADER_BYTES + body);
      bytes.set([this.legacyHashes ? LEGACY_EXACT_TAG : SKETCH_TAG, HLL_PRECISION, form]);
      return bytes;
    };
    if (this.exact) {
      const bytes = header(SKETCH_FORM.exact, this.exact.length * 8);
      writeHashes(this.exact, bytes, SKETCH_HEADER_BYTES);
      return bytes;
    }
    const registers = this.densify();
    const triples = sparseCopy(registers, HLL_REGISTERS / 3);
    if (triples) return withBody(header(SKETCH_FORM.triples, triples.length), triples);
    return withBody(header(SKETCH_FORM.registers, HLL_REGISTERS), registers);
  }

  /** Reads format version 3, 2 or 1 ([1, 14, registers]); throws on anything else. */
  static fromBytes(bytes: Uint8Array): HyperLogLog {
    if ((bytes[0] === SKETCH_TAG || bytes[0] === LEGACY_EXACT_TAG) && bytes[1] === HLL_PRECISION) {
      const body = bytes.subarray(SKETCH_HEADER_BYTES);
      if (bytes[2] === SKETCH_FORM.exact && body.length % 8 === 0) {
        const sketch = new HyperLogLog();
        const hashes = readHashes(body, 0);
        sketch.exact = isStrictlyIncreasing(hashes) ? hashes : sortedDistinct(hashes);
        sketch.legacyHashes = bytes[0] === LEGACY_EXACT_TAG && hashes.length > 0;
        if (sketch.exact.length > EXACT_LIMIT) sketch.promote();
        return sketch;
      }
      if (bytes[2] === SKETCH_FORM.triples && body.length % 3 === 0) return HyperLogLog.fromSparse(body);
      if (bytes[2] === SKETCH_FORM.registers && body.length === HLL_REGISTERS) return new HyperLogLog(body);
    }
    if (bytes.length === V1_HEADER + HLL_REGISTERS && bytes[0] === V1_VERSION && bytes[1] === HLL_PRECISION) {
      return new HyperLogLog(bytes.subarray(V1_HEADER));
    }
    throw new Error(`Not a precision ${HLL_PRECISION} sketch of format version ${V1_VERSION} to ${SKETCH_FORMAT_VERSION_NAME} (${bytes.length} bytes)`);
  }

  /**
   * A store's value: format version 3 or 2 when tagged, else the form the store kept before versions
   * (Redis: bare registers; Parquet views: bare triples). Exact sketches copy their hashes; the
   * other forms keep the bytes as `fromSparse` and the constructor say.
   */
  static fromStored(bytes: Uint8Array, unversioned: 'registers' | 'triples'): HyperLogLog {
    if (bytes.length > 0 && (bytes[0] === SKETCH_TAG || bytes[0] === LEGACY_EXACT_TAG)) return HyperLogLog.fromBytes(bytes);
    return unversioned === 'triples' ? HyperLogLog.fromSparse(bytes) : new HyperLogLog(bytes);
  }

  /**
   * Room for `extra` more pending hashes, sorting the pending ones in first when they would
   * outgrow the set (which may turn the sketch into registers: callers check `exact` after).
   */
  private reserve(extra: number): void {
    if (this.pendingLength > 0 && this.pendingLength + extra > Math.max(PENDING_MIN, this.exact!.length)) this.settle();
    if (!this.exact) return;
    const needed = this.pendingLength + extra;
    if (!this.pending || this.pending.length < needed) {
      const grown = new BigUint64Array(Math.max(PENDING_MIN, needed, (this.pending?.length ?? 0) * 2));
      if (this.pending) grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
  }

  /** Folds the pending hashes into the set, and turns into registers past EXACT_LIMIT. */
  private settle(): void {
    if (!this.exact || this.pendingLength === 0) return;
    const merged = unionSorted(this.exact, sortedDistinct(this.pending!.subarray(0, this.pendingLength)));
    this.pendingLength = 0;
    if (merged.length > EXACT_LIMIT) this.pending = null;
    this.exact = merged;
    if (merged.length > EXACT_LIMIT) this.promote();
  }

  /** Exact → registers, for good. */
  private promote(): void {
    this.settle();
    const hashes = this.exact!;
    this.exact = null;
    this.legacyHashes = false;
    this.pending = null;
    this.pendingLength = 0;
    if (hashes.length === 0) this.useSparse(EMPTY, 0, false);
    else this.useDense(registersOf(hashes));
  }

  private useSparse(triples: Uint8Array, length: number, owned: boolean): void {
    this.exact = null;
    this.sparse = triples;
    this.sparseLength = length;
    this.sparseOwned = owned;
    this.dense = null;
    this.words = null;
  }

  private useDense(registers: Uint8Array, owned = true): Uint8Array {
    this.exact = null;
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

const SKETCH_FORMAT_VERSION_NAME = SKETCH_TAG - 0x80;

/** Pending hashes an exact sketch keeps at least before sorting them in. */
const PENDING_MIN = 64;

/** Past this many non-zero registers a sparse copy stops paying for itself (3 bytes each vs 16 KiB). */
const SPARSE_LIMIT = 1024;

const scratch = new Uint8Array((HLL_REGISTERS / 3 + 4) * 3);

function forEachPoint(hashes: BigUint64Array, visit: (point: HllPoint) => void): void {
  const { words, hi, lo } = wordsOf(hashes);
  for (let i = 0; i < hashes.length; i++) visit(pointOfWords(words[2 * i + hi]!, words[2 * i + lo]!));
}

function registersOf(hashes: BigUint64Array): Uint8Array {
  const registers = new Uint8Array(HLL_REGISTERS);
  forEachPoint(hashes, ({ index, rank }) => {
    if (rank > registers[index]!) registers[index] = rank;
  });
  return registers;
}

function withBody(bytes: Uint8Array, body: Uint8Array): Uint8Array {
  bytes.set(body, SKETCH_HEADER_BYTES);
  return bytes;
}

/** The non-zero registers as sorted triples, or null when there are more than `limit`. */
function sparseCopy(registers: Uint8Array, limit = SPARSE_LIMIT): Uint8Array | null {
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
      if (k > limit * 3) return null;
    }
    i = words.length << 2;
  }
  for (; i < end; i++) {
    const rank = registers[i]!;
    if (rank === 0) continue;
    if (k >= limit * 3) return null;
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
