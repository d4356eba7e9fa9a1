/**
 * n / d rounded half up (away from zero for the non-negative amounts money uses), in integers:
 * no float ever holds an amount. Products stay below 2^53 for any cart the limits allow
 * (99 × 99 lines × 10^9 minor units × 10^4 basis points would not; prices are capped far lower).
 */
export function divideRoundHalfUp(n: number, d: number): number {
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d) || n < 0 || d <= 0) {
    throw new RangeError(`divideRoundHalfUp(${n}, ${d}): non-negative safe integers only`);
  }
  return Math.floor((2 * n + d) / (2 * d));
}
