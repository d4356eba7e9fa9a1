import xxhash from 'xxhash-wasm';

// Compiled once per process (and per worker thread): a few kilobytes of WebAssembly shipped in the package.
const { h64 } = await xxhash();

/**
 * The one hash every unique-count sketch uses, in every layer: xxHash64 (seed 0) over the UTF-8
 * bytes of the value. The batch calls this same function from DuckDB (`xxh64_hex`, registered on
 * each of its connections), so a sketch built there merges with one built here. Sketches stored
 * before format version 3 hold SHA-256 hashes (`sketch-format.ts` says how they are read).
 */
export function hash64(value: string): bigint {
  return h64(value);
}

/** The same hash as two unsigned 32-bit words, high first: what the sketch uses. */
export function hash64Words(value: string): [number, number] {
  const hash = h64(value);
  return [Number(hash >> 32n), Number(hash & 0xffffffffn)];
}

/** The hash as 16 lowercase hex digits (text order = numeric order): the batch's form. */
export function hash64Hex(value: string): string {
  return h64(value).toString(16).padStart(16, '0');
}
