import type { SandboxCarrierOptions } from '../../../src/modules/shipping/infrastructure/sandbox.carrier.ts';

/** Plain-data options shared by the shipping tests. */
export const sandboxCarrierOptions: SandboxCarrierOptions = {
  rates: { currency: 'EUR', standardFlatMinor: 490, expressBaseMinor: 990, expressPer500gMinor: 150, freeStandardFromMinor: 5_000, maxWeightGrams: 30_000 },
  webhookSecret: 'whsec_carrier_test',
  countries: ['DE', 'FR', 'GB', 'NL'],
  labelBaseUrl: 'http://127.0.0.1/labels',
};
