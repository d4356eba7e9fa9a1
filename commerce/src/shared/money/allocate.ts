/**
 * Splits `total` minor units over `weights` in proportion, exactly: each share is floored and the
 * units left over go one each to the largest remainders (ties: the earlier weight). The shares
 * always add up to `total`, so a discount spread over lines never gains or loses a cent.
 *
 * @example allocate(100, [1, 1, 1]) // [34, 33, 33]
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const shares = weights.map((w) => Math.floor((total * w) / sum));
  // Remainders compared as exact integers: (total × w) mod sum.
  const order = weights.map((w, i) => ({ i, rest: (total * w) % sum })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  let left = total - shares.reduce((a, s) => a + s, 0);
  for (const { i } of order) {
    if (left === 0) break;
    shares[i]! += 1;
    left -= 1;
  }
  return shares;
}
