import { afterAll, beforeAll, describe } from 'vitest';
import { builtInTaxProvider, databaseTaxProvider, pricingMigrations } from '../../src/modules/pricing/index.ts';
import { migrate } from '../../src/shared/database/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { CONTRACT_ROWS, taxProviderContract } from './tax-provider.contract.ts';

describe('tax provider contract: built-in rates table (embedded default)', () => {
  taxProviderContract(() => builtInTaxProvider);
});

describe.each(databaseEngines())('tax provider contract: pricing.tax_rates on $name', (engine) => {
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    if (engine.skip) return;
    opened = await engine.open();
    await migrate(opened.db, [pricingMigrations]);
    for (const r of CONTRACT_ROWS) {
      await opened.db.query('insert into pricing.tax_rates (region_key, tax_class, rate_bp) values ($1, $2, $3)', [r.regionKey, r.taxClass, r.rateBp]);
    }
  }, 120_000);
  afterAll(async () => opened?.cleanup());
  // Skipped, not left empty, when PostgreSQL is unreachable: an empty suite is an error.
  describe.skipIf(engine.skip)('the database adapter', () => taxProviderContract(() => databaseTaxProvider(opened!.db)));
});
