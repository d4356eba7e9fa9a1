import { shippingProviderContract } from './shipping-provider.contract.ts';
import { createSandboxCarrier } from '../../src/modules/shipping/infrastructure/sandbox.carrier.ts';
import { sandboxCarrierOptions as sandboxOptions } from './support/sandbox-carrier.options.ts';

// The sandbox is the only ShippingProvider adapter so far.
shippingProviderContract('sandbox carrier', async () => {
  const carrier = createSandboxCarrier(sandboxOptions);
  return {
    provider: carrier,
    advance: async (trackingNumber, status) => carrier.advance(trackingNumber, status),
    labelsCreated: () => carrier.labelsCreated,
    servedCountry: 'GB',
    unservedCountry: 'AQ',
  };
});
