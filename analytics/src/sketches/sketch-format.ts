/**
 * The stored byte format of a unique-count sketch, version 3 (version 2's layout; its hashes are
 * xxHash64, version 2's were the first 8 bytes of SHA-256):
 * [0x80 + version, precision, form, body...] with form
 * - 0 exact: the distinct 64-bit hashes, 8 bytes big-endian each, ascending;
 * - 1 registers: all 16,384 registers, one byte each;
 * - 2 triples: the non-zero registers as [index u16 big-endian, rank u8], ascending by index.
 *
 * The first byte has its top bit set so a version never reads as an unversioned store value:
 * Redis's bare register strings start with a rank (at most 51) and the version 1 Parquet column
 * (bare triples) with an index's high byte (at most 63). Version 1 of `toBytes` was
 * [1, precision, 16,384 registers].
 */
export const SKETCH_FORMAT_VERSION = 3;
export const SKETCH_TAG = 0x80 + SKETCH_FORMAT_VERSION;
/**
 * Version 2's first byte, still read. Its registers and triples read as version 3's (a register
 * keeps no hash, so nothing there says which hash filled it); its exact form holds SHA-256
 * hashes, which never join xxHash64 ones: such a merge turns both sides into registers first.
 */
export const LEGACY_EXACT_TAG = 0x80 + 2;
export const SKETCH_HEADER_BYTES = 3;
export const SKETCH_FORM = { exact: 0, registers: 1, triples: 2 } as const;

/**
 * Distinct hashes a sketch keeps exactly; the next one turns it into registers for good. At this
 * size the exact form takes 32 KiB (the registers 16 KiB): a tenant's day of up to 4,096 people
 * counts exactly, merged from any number of cells and across both layers.
 */
export const EXACT_LIMIT = 4096;

/** The three header bytes of a form, as hex (the batch's SQL writes them). */
export function sketchHeaderHex(form: keyof typeof SKETCH_FORM, precision: number): string {
  return [SKETCH_TAG, precision, SKETCH_FORM[form]].map((b) => b.toString(16).padStart(2, '0')).join('');
}
