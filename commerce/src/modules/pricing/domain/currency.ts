/**
 * Decimal places of a currency's minor unit, from ISO 4217 as the runtime's ICU data knows it
 * (EUR 2, JPY 0, KWD 3). Amounts are always integers in these units.
 */
export function minorUnitDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** true when the runtime knows the code as an ISO 4217 currency. */
export function isKnownCurrency(currency: string): boolean {
  if (!/^[A-Z]{3}$/.test(currency)) return false;
  return Intl.supportedValuesOf('currency').includes(currency);
}
