import type { ShippingError } from './shipping.errors.ts';

export type ShippingOptionId = 'standard' | 'express';

/** Prices in integer minor units of `currency`; the carrier's contract or the shop's config supplies them. */
export interface RateTable {
  currency: string;
  /** `standard`: one flat price. */
  standardFlatMinor: number;
  /** `express`: base plus a step for every started 500 g (1 g and 500 g cost one step, 501 g two). */
  expressBaseMinor: number;
  expressPer500gMinor: number;
  /** An order subtotal at or above this ships `standard` for free; absent means never free. */
  freeStandardFromMinor?: number;
  maxWeightGrams: number;
}

export interface ShippingOption {
  optionId: ShippingOptionId;
  label: string;
  amountMinor: number;
  currency: string;
  /** Business days, for display. */
  estimatedDays: { min: number; max: number };
}

export type RatesResult = { ok: true; options: ShippingOption[] } | { ok: false; error: ShippingError };

const STEP_GRAMS = 500;

/**
 * The options a parcel can ship with, cheapest first. Pure: the checkout, the sandbox carrier and
 * the order's recorded price all come from this one calculation.
 *
 * @example
 * rateOptions({ weightGrams: 1200 }, 3_000, table) // express = base + 3 steps
 */
export function rateOptions(parcel: { weightGrams: number }, orderSubtotalMinor: number, table: RateTable): RatesResult {
  if (!Number.isSafeInteger(parcel.weightGrams) || parcel.weightGrams <= 0) {
    return { ok: false, error: { code: 'SHIPPING.INVALID_PARCEL', message: 'weightGrams must be a positive integer' } };
  }
  if (parcel.weightGrams > table.maxWeightGrams) {
    return { ok: false, error: { code: 'SHIPPING.PARCEL_TOO_HEAVY', message: `Parcels up to ${table.maxWeightGrams} g only` } };
  }
  const free = table.freeStandardFromMinor !== undefined && orderSubtotalMinor >= table.freeStandardFromMinor;
  const steps = Math.ceil(parcel.weightGrams / STEP_GRAMS);
  return {
    ok: true,
    options: [
      { optionId: 'standard', label: 'Standard', amountMinor: free ? 0 : table.standardFlatMinor, currency: table.currency, estimatedDays: { min: 3, max: 5 } },
      {
        optionId: 'express',
        label: 'Express',
        amountMinor: table.expressBaseMinor + steps * table.expressPer500gMinor,
        currency: table.currency,
        estimatedDays: { min: 1, max: 2 },
      },
    ],
  };
}
