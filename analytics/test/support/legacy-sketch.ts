import { createHash } from 'node:crypto';
import { hashPoint, hllPoint, HLL_PRECISION, HLL_REGISTERS, type HllPoint, LEGACY_EXACT_TAG } from '../../src/sketches/index.ts';

/** The hash sketches used before format version 3: the first 8 bytes of SHA-256. */
export function sha256Hash64(value: string): bigint {
  return createHash('sha256').update(value, 'utf8').digest().readBigUInt64BE(0);
}

/** An exact sketch of `values` as format version 2 stored it: [0x82, 14, 0, sorted SHA-256 hashes]. */
export function legacyExactBytes(values: readonly string[]): Buffer {
  const hashes = [...new Set(values.map(sha256Hash64))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const bytes = Buffer.alloc(3 + hashes.length * 8);
  bytes.set([LEGACY_EXACT_TAG, HLL_PRECISION, 0]);
  hashes.forEach((hash, i) => bytes.writeBigUInt64BE(hash, 3 + i * 8));
  return bytes;
}

/** Registers of the SHA-256 hashes of `legacy` and the current hashes of `current`, placed one by one. */
export function registersOf(legacy: readonly string[], current: readonly string[]): Uint8Array {
  const registers = new Uint8Array(HLL_REGISTERS);
  const raise = ({ index, rank }: HllPoint) => void (rank > registers[index]! && (registers[index] = rank));
  for (const value of legacy) raise(hashPoint(sha256Hash64(value)));
  for (const value of current) raise(hllPoint(value));
  return registers;
}
