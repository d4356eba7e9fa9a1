import type { TaxRate } from './tax.ts';

/** Product tax classes: most goods are `standard`; books and food `reduced`; `zero` is never taxed. */
export const TAX_CLASSES = ['standard', 'reduced', 'zero'] as const;
export type TaxClass = (typeof TAX_CLASSES)[number];

/**
 * The embedded default rates (basis points), by country and, for US states, by `US-<state>`.
 * Consumer VAT rates as published for 2025 (EU Commission's VAT rates table, HMRC, Japan's NTA;
 * US state base sales tax without local add-ons). A country missing here is not taxed (an export).
 */
export const BUILT_IN_RATES: Readonly<Record<string, Partial<Record<TaxClass, number>>>> = {
  AT: { standard: 2000, reduced: 1000 },
  BE: { standard: 2100, reduced: 600 },
  DE: { standard: 1900, reduced: 700 },
  DK: { standard: 2500, reduced: 2500 },
  ES: { standard: 2100, reduced: 1000 },
  FI: { standard: 2550, reduced: 1400 },
  FR: { standard: 2000, reduced: 550 },
  GB: { standard: 2000, reduced: 500 },
  IE: { standard: 2300, reduced: 1350 },
  IT: { standard: 2200, reduced: 1000 },
  LU: { standard: 1700, reduced: 800 },
  NL: { standard: 2100, reduced: 900 },
  PL: { standard: 2300, reduced: 800 },
  PT: { standard: 2300, reduced: 600 },
  SE: { standard: 2500, reduced: 1200 },
  JP: { standard: 1000, reduced: 800 },
  'US-CA': { standard: 725, reduced: 0 },
  'US-NY': { standard: 400, reduced: 0 },
  'US-TX': { standard: 625, reduced: 0 },
  'US-WA': { standard: 650, reduced: 0 },
};

const NAMES: Record<string, string> = { JP: 'Consumption tax', US: 'Sales tax' };

/** The display name of a rate, e.g. "VAT 20%" or "Sales tax 7.25%". */
export function rateName(country: string, rateBp: number): string {
  const percent = `${Math.floor(rateBp / 100)}${rateBp % 100 === 0 ? '' : `.${String(rateBp % 100).padStart(2, '0').replace(/0$/, '')}`}%`;
  return `${NAMES[country] ?? 'VAT'} ${percent}`;
}

/** Rates for a destination from a table: the subdivision's entry (US-CA) first, then the country's. */
export function ratesFromTable(table: Readonly<Record<string, Partial<Record<string, number>>>>, country: string, subdivision: string | null, taxClass: string): TaxRate[] {
  const entry = (subdivision ? table[`${country}-${subdivision}`] : undefined) ?? table[country];
  const rateBp = entry?.[taxClass] ?? 0;
  return rateBp > 0 ? [{ name: rateName(country, rateBp), rateBp }] : [];
}
