import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@shop/platform';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { KeyValueStore } from '../../shared/kv/index.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { clearCartCookie, readGuestToken, resolveOwner } from './api/cart-owner.http.ts';
import { cartRoutes } from './api/cart.routes.ts';
import type { CartContext } from './application/cart.context.ts';
import type { CartView, CheckoutCart, CheckoutCartError, MergeSummary } from './application/cart.dto.ts';
import type { CatalogApi } from './application/ports/catalog.port.ts';
import type { CartPricing } from './application/ports/pricing.port.ts';
import { clearCart } from './application/clear-cart.ts';
import { getCart } from './application/get-cart.ts';
import { getCartForCheckout } from './application/get-cart-for-checkout.ts';
import { mergeGuestCart } from './application/merge-guest-cart.ts';
import type { CartOwner } from './domain/cart-owner.ts';
import type { Result } from '@shop/platform/result';
import { createCartToken } from './infrastructure/cart-token.ts';
import { createKvCartRepository } from './infrastructure/kv-cart.repository.ts';

export interface CartConfig {
  /** A cart untouched (no write) for this long expires. */
  ttlSeconds: number;
  maxLines: number;
  maxQuantity: number;
  cookieSecure: boolean;
}

export interface CartModuleDeps {
  kv: KeyValueStore;
  catalog: CatalogApi;
  /** Prices in the visitor's region currency; the catalog's own prices when left out. */
  pricing?: CartPricing;
  auth: Authenticator;
  logger: Logger;
  config: CartConfig;
}

export type CheckoutCartResult = Result<CheckoutCart, CheckoutCartError>;

/** What other modules (users at sign-in, orders at checkout) may ask of the cart. */
export interface CartApi {
  /** Whose cart a request addresses (signed-in user first, then the guest token); null for none. No auth checks. */
  ownerFromRequest(request: FastifyRequest): Promise<CartOwner | null>;
  /** The cart re-checked against the catalog, as the shopper sees it. */
  getCart(owner: CartOwner): Promise<CartView>;
  /**
   * The cart priced now, refused with `CART.EMPTY` or `CART.HAS_ISSUES` (unaccepted price
   * change, unavailable line, short stock) so an order is only placed for what the shopper saw.
   */
  getCartForCheckout(owner: CartOwner): Promise<CheckoutCartResult>;
  /** Deletes the cart, e.g. once an order has been placed from it. */
  clearCart(owner: CartOwner): Promise<void>;
  /** Moves a guest cart into the user's cart; idempotent per guest cart. */
  mergeGuestCart(guestToken: string, userId: string): Promise<MergeSummary>;
  /**
   * Called right after a sign-in: merges the guest cart the request carries (cookie or
   * `x-cart-token`) into the user's cart, and clears the cart cookie when `reply` is given.
   *
   * @example
   * onSignedIn: ({ userId, request, reply }) => cart.api.mergeGuestCartFromRequest(userId, request, reply)
   */
  mergeGuestCartFromRequest(userId: string, request: FastifyRequest, reply?: FastifyReply): Promise<MergeSummary>;
}

/**
 * The cart module: guest and signed-in carts in the key-value store (Redis or in-process),
 * re-checked against the catalog on every read.
 */
export function createCartModule(deps: CartModuleDeps): CommerceModule<CartApi> {
  const { config, auth, logger } = deps;
  const { pricing } = deps;
  const inCurrency = (currency: string): CatalogApi =>
    pricing
      ? {
          getVariants: async (ids, freshness) => pricing.priceIn(currency, await deps.catalog.getVariants(ids, freshness)),
          reserveStock: (tx, lines) => deps.catalog.reserveStock(tx, lines),
          releaseStock: (tx, lines) => deps.catalog.releaseStock(tx, lines),
          commitStock: (tx, lines, audit) => deps.catalog.commitStock(tx, lines, audit),
          restockReturned: (tx, lines, audit) => deps.catalog.restockReturned(tx, lines, audit),
        }
      : deps.catalog;
  const ctx: CartContext = {
    repository: createKvCartRepository(deps.kv, { ttlSeconds: config.ttlSeconds }),
    catalog: deps.catalog,
    regionCurrency: null,
    inCurrency,
    limits: { maxLines: config.maxLines, maxQuantity: config.maxQuantity },
    newToken: createCartToken,
  };
  const cookie = { ttlSeconds: config.ttlSeconds, secure: config.cookieSecure };

  const api: CartApi = {
    ownerFromRequest: (request) => resolveOwner(request, auth, 'read'),
    getCart: (owner) => getCart(ctx, owner),
    getCartForCheckout: (owner) => getCartForCheckout(ctx, owner),
    clearCart: (owner) => clearCart(ctx, owner),
    mergeGuestCart: (guestToken, userId) => mergeGuestCart(ctx, guestToken, userId),
    async mergeGuestCartFromRequest(userId, request, reply) {
      const token = readGuestToken(request);
      if (!token) return { merged: [], dropped: [] };
      const summary = await mergeGuestCart(ctx, token, userId);
      if (reply) clearCartCookie(reply, cookie);
      if (summary.merged.length > 0 || summary.dropped.length > 0) {
        logger.info({ userId, merged: summary.merged.length, dropped: summary.dropped.length }, 'guest cart merged');
      }
      return summary;
    },
  };

  // A request naming a region is priced in its currency; otherwise in the catalog's.
  const ctxFor = async (request: FastifyRequest): Promise<CartContext> => {
    const currency = pricing ? await pricing.currencyOf(request) : null;
    return currency ? { ...ctx, catalog: inCurrency(currency), regionCurrency: currency } : ctx;
  };
  return { name: 'cart', api, routes: cartRoutes({ ctx, ctxFor, auth, cookie }) };
}
