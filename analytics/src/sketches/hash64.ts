import { createHash } from 'node:crypto';

/**
 * The one hash every unique-count sketch uses, in every layer: the first 8 bytes (big-endian)
 * of SHA-256 over the UTF-8 bytes of the value. Chosen over a hand-written Murmur/xxhash
 * because any engine can reproduce it bit for bit (DuckDB's `sha256()`, Spark's `sha2()`,
 * Postgres' `sha256()`), so a sketch built by the batch layer merges with one built here.
 */
export function hash64(value: string): bigint {
  return createHash('sha256').update(value, 'utf8').digest().readBigUInt64BE(0);
}

/** The same hash as two unsigned 32-bit words, high first: what the sketch uses, without BigInt. */
export function hash64Words(value: string): [number, number] {
  const digest = createHash('sha256').update(value, 'utf8').digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}
