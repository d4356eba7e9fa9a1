export { hash64, hash64Hex, hash64Words } from './hash64.ts';
export { HLL_PRECISION, HLL_REGISTERS, HLL_STANDARD_ERROR, HyperLogLog, hashPoint, hllPoint, type HllPoint } from './hyperloglog.ts';
export { EXACT_LIMIT, LEGACY_EXACT_TAG, SKETCH_FORMAT_VERSION, sketchHeaderHex } from './sketch-format.ts';
export { TopKSummary, type TopKItem } from './top-k.ts';
