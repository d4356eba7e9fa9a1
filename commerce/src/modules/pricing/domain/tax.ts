import { allocate, divideRoundHalfUp } from '../../../shared/money/index.ts';

/** A tax rate as a provider answers it: basis points, 2000 = 20%. */
export interface TaxRate {
  name: string;
  rateBp: number;
}

export interface TaxLine {
  name: string;
  rateBp: number;
  amountMinor: number;
}

/**
 * The tax on one amount (a line after its discount, or shipping), rounded once for the line in
 * minor units, half up (docs/adr/0065):
 * - tax-exclusive prices: tax = round(net × R / 10000), added on top;
 * - tax-inclusive prices: tax = round(net × R / (10000 + R)), already inside net;
 * where R is the sum of the rates. With several rates the rounded total is split over them in
 * proportion (largest remainder), so the tax lines add up to the line's tax exactly.
 */
export function taxOn(netMinor: number, rates: readonly TaxRate[], inclusive: boolean): TaxLine[] {
  const live = rates.filter((r) => r.rateBp > 0);
  if (live.length === 0 || netMinor === 0) return [];
  const sumBp = live.reduce((a, r) => a + r.rateBp, 0);
  const total = inclusive ? divideRoundHalfUp(netMinor * sumBp, 10_000 + sumBp) : divideRoundHalfUp(netMinor * sumBp, 10_000);
  if (live.length === 1) return [{ name: live[0]!.name, rateBp: live[0]!.rateBp, amountMinor: total }];
  const shares = allocate(total, live.map((r) => r.rateBp));
  return live.map((r, i) => ({ name: r.name, rateBp: r.rateBp, amountMinor: shares[i]! }));
}
