import type { CartLimits } from '../domain/cart.ts';
import type { CartRepository } from './ports/cart.repository.ts';
import type { CatalogApi } from './ports/catalog.port.ts';

/** What every cart use case runs with; built once by the module factory. */
export interface CartContext {
  repository: CartRepository;
  catalog: CatalogApi;
  limits: CartLimits;
  /** A fresh unguessable guest cart token. */
  newToken: () => string;
}
