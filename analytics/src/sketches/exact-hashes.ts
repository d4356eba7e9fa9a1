/**
 * Sorted, distinct 64-bit hashes: the exact form of a small unique-count sketch. Arrays returned
 * here are never written afterwards, so sketches share them freely (clones, merges into an empty
 * sketch, cached batch rows).
 */

export const NO_HASHES = new BigUint64Array(0);

/** The values sorted ascending with repeats removed, in a new array. */
export function sortedDistinct(values: BigUint64Array): BigUint64Array {
  if (values.length === 0) return NO_HASHES;
  const sorted = values.slice().sort();
  let n = 1;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]!;
  return sorted.subarray(0, n);
}

/** The union of two sorted distinct arrays, sorted and distinct (one of them when the other is empty). */
export function unionSorted(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new BigUint64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x < y) out[n++] = a[i++]!;
    else if (y < x) out[n++] = b[j++]!;
    else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++]!;
  while (j < b.length) out[n++] = b[j++]!;
  return out.subarray(0, n);
}

/** True when every value is greater than the one before. */
export function isStrictlyIncreasing(values: BigUint64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i]! <= values[i - 1]!) return false;
  return true;
}

/** The hashes as 8-byte big-endian words at `offset` of `target` (byte order = numeric order). */
export function writeHashes(hashes: BigUint64Array, target: Uint8Array, offset: number): void {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength);
  for (let i = 0; i < hashes.length; i++) view.setBigUint64(offset + i * 8, hashes[i]!);
}

/** The 8-byte big-endian words of `bytes` from `offset` to the end. */
export function readHashes(bytes: Uint8Array, offset: number): BigUint64Array {
  const count = Math.floor((bytes.length - offset) / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hashes = new BigUint64Array(count);
  for (let i = 0; i < count; i++) hashes[i] = view.getBigUint64(offset + i * 8);
  return hashes;
}
