export { hash64, hash64Words } from './hash64.ts';
export { HLL_PRECISION, HLL_REGISTERS, HLL_STANDARD_ERROR, HyperLogLog, hllPoint, type HllPoint } from './hyperloglog.ts';
export { TopKSummary, type TopKItem } from './top-k.ts';
