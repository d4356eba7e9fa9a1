import type { CartLimits } from '../domain/cart.ts';
import type { CartRepository } from './ports/cart.repository.ts';
import type { CatalogApi } from './ports/catalog.port.ts';

/** What every cart use case runs with; built once by the module factory. */
export interface CartContext {
  repository: CartRepository;
  catalog: CatalogApi;
  limits: CartLimits;
  /** The currency of the region the request names (then `catalog` prices in it); null: the cart's own. */
  regionCurrency: string | null;
  /** The catalog with prices in `currency` (the identity without a pricing module). */
  inCurrency: (currency: string) => CatalogApi;
  /** A fresh unguessable guest cart token. */
  newToken: () => string;
}

/** The catalog priced for showing `cart`: in the request's region currency, else in the cart's own currency. */
export function catalogFor(ctx: CartContext, cart: { lines: readonly { currency: string }[] } | null): CatalogApi {
  if (ctx.regionCurrency !== null) return ctx.catalog;
  const own = cart?.lines[0]?.currency;
  return own ? ctx.inCurrency(own) : ctx.catalog;
}
