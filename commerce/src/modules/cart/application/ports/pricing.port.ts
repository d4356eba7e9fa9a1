import type { FastifyRequest } from 'fastify';
import type { VariantSnapshot } from './catalog.port.ts';

/**
 * Prices in the visitor's currency, from the pricing module (wired by the composition root).
 * Without it a cart is priced in the catalog's own currency.
 */
export interface CartPricing {
  /** The currency of the region the request names; null when it names none. */
  currencyOf(request: FastifyRequest): Promise<string | null>;
  /** Snapshots re-priced in `currency`; one that has no price there comes back not purchasable. */
  priceIn(currency: string, snapshots: readonly VariantSnapshot[]): Promise<VariantSnapshot[]>;
}
