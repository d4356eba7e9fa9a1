import { minorUnitDigits } from './currency.ts';

/**
 * A price converted between currencies in exact integers (BigInt, so no product overflows),
 * rounded half up to the target's minor unit: EUR 12.50 at 160 JPY/EUR is ¥2000, at 1.08 USD/EUR $13.50.
 *
 * @example convertPrice(1250, 'EUR', 160_000_000, 'JPY') // 2000
 */
export function convertPrice(amountMinor: number, from: string, rateMicros: number, to: string): number {
  const scaleFrom = 10n ** BigInt(minorUnitDigits(from));
  const scaleTo = 10n ** BigInt(minorUnitDigits(to));
  const numerator = BigInt(amountMinor) * BigInt(rateMicros) * scaleTo;
  const denominator = scaleFrom * 1_000_000n;
  return Number((2n * numerator + denominator) / (2n * denominator));
}
