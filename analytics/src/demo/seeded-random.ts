/**
 * Numbers from a seed, so generated data is repeatable: the demo's made-up traffic is the same on
 * every start, and a failing test's data can be rebuilt from its seed.
 */
export interface SeededRandom {
  /** The next number in [0, 1). */
  (): number;
  /** A whole number in [0, n). */
  below(n: number): number;
  /** One of `items` (not empty). */
  pick<T>(items: readonly T[]): T;
}

/**
 * mulberry32: small, fast and the same on every platform. Each `below` and `pick` draws one number.
 *
 * @example
 * const r = seededRandom(7);
 * r.pick(['page', 'track']); r.below(60); r() < 0.05;
 */
export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const below = (n: number) => Math.floor(next() * n);
  return Object.assign(next, { below, pick: <T>(items: readonly T[]): T => items[below(items.length)]! });
}
