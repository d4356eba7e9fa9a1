/**
 * Sorted, distinct 64-bit hashes: the exact form of a small unique-count sketch. Arrays returned
 * here are never written afterwards, so sketches share them freely (clones, merges into an empty
 * sketch, cached batch rows).
 *
 * Loops read the hashes as two 32-bit words each (a Uint32Array over the same bytes) instead of
 * as BigInts: reading a BigUint64Array element allocates, and a day's merge touches thousands.
 * Sorting stays native (`BigUint64Array.prototype.sort`).
 */

export const NO_HASHES = new BigUint64Array(0);

// Which word of a 64-bit element is the high one in this machine's byte order.
const HI = new Uint8Array(new BigUint64Array([1n]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** The two 32-bit words of every hash: hash i is (words[2i + HI], words[2i + LO]). */
export function wordsOf(hashes: BigUint64Array): { words: Uint32Array; hi: number; lo: number } {
  return { words: new Uint32Array(hashes.buffer, hashes.byteOffset, hashes.length * 2), hi: HI, lo: LO };
}

/** The values sorted ascending with repeats removed, in a new array. */
export function sortedDistinct(values: BigUint64Array): BigUint64Array {
  if (values.length === 0) return NO_HASHES;
  const sorted = values.slice().sort();
  const w = new Uint32Array(sorted.buffer, 0, sorted.length * 2);
  let n = 1;
  for (let i = 1; i < sorted.length; i++) {
    if (w[2 * i + HI] === w[2 * (n - 1) + HI] && w[2 * i + LO] === w[2 * (n - 1) + LO]) continue;
    w[2 * n] = w[2 * i]!;
    w[2 * n + 1] = w[2 * i + 1]!;
    n++;
  }
  return sorted.subarray(0, n);
}

/** The union of two sorted distinct arrays, sorted and distinct (one of them when the other is empty). */
export function unionSorted(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new BigUint64Array(a.length + b.length);
  const o = new Uint32Array(out.buffer);
  const x = wordsOf(a).words;
  const y = wordsOf(b).words;
  let i = 0;
  let j = 0;
  let n = 0;
  const take = (from: Uint32Array, k: number) => {
    o[2 * n] = from[2 * k]!;
    o[2 * n + 1] = from[2 * k + 1]!;
    n++;
  };
  while (i < a.length && j < b.length) {
    const xh = x[2 * i + HI]!;
    const yh = y[2 * j + HI]!;
    const order = xh !== yh ? xh - yh : x[2 * i + LO]! - y[2 * j + LO]!;
    if (order < 0) take(x, i++);
    else if (order > 0) take(y, j++);
    else {
      take(x, i++);
      j++;
    }
  }
  while (i < a.length) take(x, i++);
  while (j < b.length) take(y, j++);
  return out.subarray(0, n);
}

/** True when every value is greater than the one before. */
export function isStrictlyIncreasing(values: BigUint64Array): boolean {
  const w = wordsOf(values).words;
  for (let i = 1; i < values.length; i++) {
    const h = w[2 * i + HI]!;
    const before = w[2 * i - 2 + HI]!;
    if (h < before || (h === before && w[2 * i + LO]! <= w[2 * i - 2 + LO]!)) return false;
  }
  return true;
}

/** The hashes as 8-byte big-endian words at `offset` of `target` (byte order = numeric order). */
export function writeHashes(hashes: BigUint64Array, target: Uint8Array, offset: number): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  const w = wordsOf(hashes).words;
  for (let i = 0; i < hashes.length; i++) {
    view.setUint32(offset + i * 8, w[2 * i + HI]!);
    view.setUint32(offset + i * 8 + 4, w[2 * i + LO]!);
  }
}

/** The 8-byte big-endian words of `bytes` from `offset` to the end. */
export function readHashes(bytes: Uint8Array, offset: number): BigUint64Array {
  const count = Math.floor((bytes.length - offset) / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hashes = new BigUint64Array(count);
  const w = wordsOf(hashes).words;
  for (let i = 0; i < count; i++) {
    w[2 * i + HI] = view.getUint32(offset + i * 8);
    w[2 * i + LO] = view.getUint32(offset + i * 8 + 4);
  }
  return hashes;
}
