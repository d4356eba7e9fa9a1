import { expect, it } from 'vitest';
import type { TaxProvider } from '../../src/modules/pricing/index.ts';

/**
 * The rates every TaxProvider adapter must give for the contract's destinations. The built-in
 * table has them; a database adapter is loaded with exactly these rows (CONTRACT_ROWS).
 */
export const CONTRACT_ROWS: readonly { regionKey: string; taxClass: string; rateBp: number }[] = [
  { regionKey: 'DE', taxClass: 'standard', rateBp: 1900 },
  { regionKey: 'DE', taxClass: 'reduced', rateBp: 700 },
  { regionKey: 'FR', taxClass: 'standard', rateBp: 2000 },
  { regionKey: 'FR', taxClass: 'reduced', rateBp: 550 },
  { regionKey: 'JP', taxClass: 'standard', rateBp: 1000 },
  { regionKey: 'US-CA', taxClass: 'standard', rateBp: 725 },
];

/** The TaxProvider contract: run by each adapter's test with a way to build it. */
export function taxProviderContract(provider: () => TaxProvider): void {
  it('answers one entry per class asked, with the rate in whole basis points and a name that shows it', async () => {
    const rates = await provider().ratesFor({ country: 'DE', subdivision: null }, ['standard', 'reduced']);
    expect([...rates.keys()]).toEqual(['standard', 'reduced']);
    expect(rates.get('standard')).toEqual([{ name: 'VAT 19%', rateBp: 1900 }]);
    expect(rates.get('reduced')).toEqual([{ name: 'VAT 7%', rateBp: 700 }]);
    expect(rates.get('standard')!.every((r) => Number.isInteger(r.rateBp))).toBe(true);
  });

  it('a decimal rate keeps its decimals in the name (FR reduced 5.5%)', async () => {
    expect((await provider().ratesFor({ country: 'FR', subdivision: null }, ['reduced'])).get('reduced')).toEqual([{ name: 'VAT 5.5%', rateBp: 550 }]);
  });

  it('the zero class, an unknown country and a class with no rate get no rates (not taxed)', async () => {
    const p = provider();
    expect((await p.ratesFor({ country: 'DE', subdivision: null }, ['zero'])).get('zero')).toEqual([]);
    expect((await p.ratesFor({ country: 'XX', subdivision: null }, ['standard'])).get('standard')).toEqual([]);
    expect((await p.ratesFor({ country: 'US', subdivision: null }, ['standard'])).get('standard')).toEqual([]);
  });

  it("a subdivision's own rate wins; a subdivision without one falls back to its country", async () => {
    const p = provider();
    expect((await p.ratesFor({ country: 'US', subdivision: 'CA' }, ['standard'])).get('standard')).toEqual([{ name: 'Sales tax 7.25%', rateBp: 725 }]);
    expect((await p.ratesFor({ country: 'FR', subdivision: 'IDF' }, ['standard'])).get('standard')).toEqual([{ name: 'VAT 20%', rateBp: 2000 }]);
    expect((await p.ratesFor({ country: 'JP', subdivision: null }, ['standard'])).get('standard')).toEqual([{ name: 'Consumption tax 10%', rateBp: 1000 }]);
  });
}
