import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { compiledSerializer } from '../../../shared/http/compiled-serializer.ts';
import { acceptCartChanges } from '../application/accept-cart-changes.ts';
import { addItem } from '../application/add-item.ts';
import type { CartContext } from '../application/cart.context.ts';
import type { CartView } from '../application/cart.dto.ts';
import { changeQuantity } from '../application/change-quantity.ts';
import { clearCart } from '../application/clear-cart.ts';
import { getCart } from '../application/get-cart.ts';
import { removeItem } from '../application/remove-item.ts';
import type { CartOwner } from '../domain/cart-owner.ts';
import { cartErrors } from '../domain/cart.errors.ts';
import { toHttpError } from './cart.http-errors.ts';
import { clearCartCookie, resolveOwner, setCartCookie, type CartCookieOptions } from './cart-owner.http.ts';
import {
  addItemBody,
  cartHeaders,
  cartViewSchema,
  changeQuantityBody,
  errorResponses,
  variantParams,
} from './cart.schemas.ts';

export interface CartRoutesDeps {
  ctx: CartContext;
  /** The context priced in the currency of the region the request names. */
  ctxFor: (request: FastifyRequest) => Promise<CartContext>;
  auth: Authenticator;
  cookie: CartCookieOptions;
}

const EMPTY_CART: CartView = {
  cartToken: null,
  lines: [],
  currency: null,
  subtotalMinor: 0,
  itemCount: 0,
  hasIssues: false,
  issues: [],
};

/** The shopper's cart over HTTP, mounted under `/api`. Guests are told apart by their cart token. */
export function cartRoutes({ ctx, ctxFor, auth, cookie }: CartRoutesDeps) {
  // Each write slides the cookie's lifetime along with the cart's, for as long as the guest cart exists.
  const keepCookie = (reply: FastifyReply, owner: CartOwner | null, view: CartView) => {
    if (owner?.kind === 'guest' && view.cartToken) setCartCookie(reply, view.cartToken, cookie);
  };
  const tags = ['cart'];
  // Signed-in (session cookie or bearer) or anonymous with a cart token.
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }, {}];

  return async (root: FastifyInstance): Promise<void> => {
    const app = root.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/cart',
      {
        schema: {
          tags,
          security,
          summary: 'The current cart, re-checked against the catalog',
          headers: cartHeaders,
          response: { 200: cartViewSchema, ...errorResponses },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request) => {
        const owner = await resolveOwner(request, auth, 'read');
        return owner ? getCart(await ctxFor(request), owner) : EMPTY_CART;
      },
    );

    app.post(
      '/cart/items',
      {
        schema: {
          tags,
          security,
          summary: 'Add a variant (summed into an existing line); creates a guest cart when there is none',
          headers: cartHeaders,
          body: addItemBody(ctx.limits.maxQuantity),
          response: { 200: cartViewSchema, ...errorResponses },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request, reply) => {
        const owner = await resolveOwner(request, auth, 'write');
        const added = await addItem(await ctxFor(request), owner, request.body);
        if (!added.ok) throw toHttpError(added.error);
        keepCookie(reply, added.value.owner, added.value.cart);
        return added.value.cart;
      },
    );

    app.patch(
      '/cart/items/:variantId',
      {
        schema: {
          tags,
          security,
          summary: "Set a line's quantity; 0 removes the line",
          headers: cartHeaders,
          params: variantParams,
          body: changeQuantityBody(ctx.limits.maxQuantity),
          response: { 200: cartViewSchema, ...errorResponses },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request, reply) => {
        const owner = await resolveOwner(request, auth, 'write');
        if (!owner) throw toHttpError(cartErrors.lineNotFound(request.params.variantId));
        const changed = await changeQuantity(await ctxFor(request), owner, request.params.variantId, request.body.quantity);
        if (!changed.ok) throw toHttpError(changed.error);
        keepCookie(reply, owner, changed.value);
        return changed.value;
      },
    );

    app.delete(
      '/cart/items/:variantId',
      {
        schema: {
          tags,
          security,
          summary: 'Remove a line (removing an absent line is not an error)',
          headers: cartHeaders,
          params: variantParams,
          response: { 200: cartViewSchema, ...errorResponses },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request, reply) => {
        const owner = await resolveOwner(request, auth, 'write');
        if (!owner) return EMPTY_CART;
        const view = await removeItem(await ctxFor(request), owner, request.params.variantId);
        keepCookie(reply, owner, view);
        return view;
      },
    );

    app.delete(
      '/cart',
      {
        schema: {
          tags,
          security,
          summary: 'Empty the cart',
          headers: cartHeaders,
          response: { 204: z.null().describe('Emptied'), ...errorResponses },
        },
      },
      async (request, reply) => {
        const owner = await resolveOwner(request, auth, 'write');
        if (owner) await clearCart(ctx, owner);
        if (owner?.kind === 'guest') clearCartCookie(reply, cookie);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/cart/accept-changes',
      {
        schema: {
          tags,
          security,
          summary: 'Accept current prices for flagged lines and drop lines that can no longer be bought',
          headers: cartHeaders,
          response: { 200: cartViewSchema, ...errorResponses },
        },
        serializerCompiler: compiledSerializer,
      },
      async (request, reply) => {
        const owner = await resolveOwner(request, auth, 'write');
        if (!owner) return EMPTY_CART;
        const view = await acceptCartChanges(await ctxFor(request), owner);
        keepCookie(reply, owner, view);
        return view;
      },
    );
  };
}
