import { OrderCreated } from '../../../events/orders.events.ts';
import { checkoutIdentity, guestOrderToken, ownerKeyOf, requestHash, tokenHash } from '../domain/checkout-identity.ts';
import type { Address, Order } from '../domain/order.ts';
import { pricingOf, type BareLine } from '../domain/price-order.ts';
import { priceCheckout } from './price-checkout.ts';
import type { OrdersError } from '../domain/orders.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import type { StoredCheckout } from './ports/checkout-request.repository.ts';
import type { OrdersContext } from './orders.context.ts';
import type { CartOwner } from './ports/orders.ports.ts';

export interface CheckoutRequest {
  email?: string;
  shippingAddress: Address;
  shippingOptionId: string;
  /** A gateway token (sandbox test card or PaymentMethod id), handed on to payments in OrderCreated. */
  paymentMethod: string;
  /** A discount code the shopper entered; refused (422) when it does not apply. */
  promotionCode?: string;
}

export interface CheckoutInput {
  owner: CartOwner;
  idempotencyKey: string;
  request: CheckoutRequest;
}

export interface CheckoutOutcome {
  orderId: string;
  orderNumber: string;
  status: string;
  totalMinor: number;
  currency: string;
  /** Guests only: pass as `x-order-token` to read the order. */
  orderToken: string | null;
  /** true when this answer was given before (same Idempotency-Key, or the same cart checked out again). */
  replayed: boolean;
}

type Placed = { kind: 'placed'; stored: StoredCheckout } | { kind: 'existing'; order: Order } | { kind: 'key_taken' };

/** Thrown inside the transaction to roll it back; carries the expected failure out. */
class Rollback extends Error {
  constructor(readonly error: OrdersError | 'key_taken') {
    super('checkout rolled back');
  }
}

/**
 * POST /checkout. Reads the cart (re-priced and stock-checked against the catalog by the cart
 * module, which refuses a cart with open issues), quotes shipping, then in ONE transaction:
 * inserts the order, reserves the stock (all or nothing, never oversold), writes the timeline,
 * stores the answer under the Idempotency-Key and publishes `OrderCreated`. After the commit it
 * clears the cart; a failure there is logged, never failing a checkout that has happened.
 *
 * Statements on the happy path: 1 catalog read (by the cart), and in the transaction: order +
 * timeline step + idempotency row (one statement, which also finds a retry under the same key),
 * lock variants, reserve, outbox with its fan-out (5).
 */
export async function placeOrder(ctx: OrdersContext, input: CheckoutInput): Promise<Result<CheckoutOutcome, OrdersError>> {
  const { owner, idempotencyKey, request } = input;
  const ownerKey = ownerKeyOf(owner);
  const hash = requestHash(request);
  const tokenFor = (orderId: string) => (owner.kind === 'guest' ? guestOrderToken(owner.token, orderId) : null);
  const answer = (stored: StoredCheckout['response'], replayed: boolean): CheckoutOutcome => ({
    ...stored,
    orderToken: tokenFor(stored.orderId),
    replayed,
  });

  // The key is looked up only where the checkout stops short of its transaction (a retry finds the cart
  // cleared, or its code used up by the first attempt): on the way to an order, the idempotency row the
  // order's insert writes is the check, and a retry conflicts there (`key_taken`).
  const refuse = async (error: OrdersError): Promise<Result<CheckoutOutcome, OrdersError>> => {
    const previous = await ctx.checkoutRequests.findCheckoutRequest(ctx.db, ownerKey, idempotencyKey);
    return previous ? sameKeyAnswer(previous, hash, answer) : fail(error);
  };

  const cart = await ctx.cart.getCartForCheckout(owner);
  if (!cart.ok) return refuse(cart.error);
  const { lines: cartLines, currency, subtotalMinor } = cart.value;

  const userId = owner.kind === 'user' ? owner.userId : null;
  const email = request.email ?? (userId ? await ctx.customers.emailOf(userId) : null);
  if (!email) return refuse({ code: 'ORDERS.EMAIL_REQUIRED', message: 'body.email: required for a guest checkout' });

  const weightGrams = cartLines.reduce((sum, l) => sum + l.weightGrams * l.quantity, 0);
  const quote = await ctx.shipping.quote({
    weightGrams,
    subtotalMinor,
    currency,
    country: request.shippingAddress.country.toUpperCase(),
    postalCode: request.shippingAddress.postalCode,
  });
  if (!quote.ok) return refuse({ code: 'ORDERS.SHIPPING_UNAVAILABLE', reason: quote.code, message: quote.message });
  const option = quote.options.find((o) => o.id === request.shippingOptionId && o.currency === currency);
  if (!option) {
    return refuse({
      code: 'ORDERS.SHIPPING_OPTION_UNKNOWN',
      offered: quote.options.filter((o) => o.currency === currency).map((o) => o.id),
      message: `body.shippingOptionId: ${request.shippingOptionId} is not offered for this cart`,
    });
  }

  const bareLines: BareLine[] = cartLines.map((l) => ({
    variantId: l.variantId,
    productId: l.productId,
    sku: l.sku,
    name: l.productName,
    quantity: l.quantity,
    unitPriceMinor: l.unitPriceMinor,
    weightGrams: l.weightGrams,
  }));
  const customerKey = email.toLowerCase();
  const subdivision = request.shippingAddress.region?.trim().toUpperCase() ?? '';
  const pricedCheckout = await priceCheckout(ctx, {
    currency,
    lines: bareLines,
    shippingMinor: option.priceMinor,
    country: request.shippingAddress.country.toUpperCase(),
    subdivision: /^[A-Z0-9]{1,3}$/.test(subdivision) ? subdivision : null,
    promotionCode: request.promotionCode ?? null,
    customerKey,
  });
  if (!pricedCheckout.ok) return refuse(pricedCheckout.error);
  const { priced, codeRefused } = pricedCheckout.value;
  if (codeRefused && codeRefused.reason !== 'BETTER_PROMOTION_APPLIED') {
    return refuse({ code: 'ORDERS.PROMOTION_INVALID', promotionCode: codeRefused.code, reason: codeRefused.reason, message: `body.promotionCode: ${codeRefused.message}` });
  }
  const { lines, totalMinor } = priced;
  const pricing = pricingOf(priced);
  const orderId = ctx.newId();
  const now = ctx.now();
  const orderToken = tokenFor(orderId);
  const identity = checkoutIdentity(ownerKey, currency, lines);
  const payload: Parameters<typeof OrderCreated.create>[0] = {
    orderId,
    orderNumber: '',
    customer: { userId, email },
    currency,
    subtotalMinor,
    shippingMinor: option.priceMinor,
    totalMinor,
    lines,
    shippingAddress: request.shippingAddress,
    shippingOption: { id: option.id, name: option.name, priceMinor: option.priceMinor },
    paymentMethod: request.paymentMethod,
    accessTokenHash: orderToken ? tokenHash(orderToken) : null,
    ...pricing,
  };

  let placed: Placed;
  try {
    placed = await ctx.db.transaction(async (tx): Promise<Placed> => {
      const stored: StoredCheckout = {
        requestHash: hash,
        orderId,
        response: { orderId, orderNumber: '', status: 'pending_payment', totalMinor, currency },
      };
      const inserted = await ctx.orders.insertPlacedOrder(
        tx,
        {
          id: orderId,
          userId,
          ownerKey,
          email,
          currency,
          subtotalMinor,
          shippingMinor: option.priceMinor,
          totalMinor,
          lines,
          shippingAddress: request.shippingAddress,
          shippingOption: payload.shippingOption,
          accessTokenHash: payload.accessTokenHash ?? null,
          checkoutIdentity: identity,
          createdAt: now,
          ...pricing,
        },
        { from: null, to: 'pending_payment', cause: 'checkout', eventId: null, at: now },
        { ownerKey, idempotencyKey, requestHash: hash },
      );
      const orderNumber = inserted.orderNumber;
      if (orderNumber === null) {
        // This cart is already an order (double click, or a retry under a new key).
        const existing = await ctx.orders.findByCheckoutIdentity(tx, identity);
        if (!existing) throw new Error(`checkout identity ${identity} conflicted but no order has it`);
        const answered = storedFor(existing, hash);
        if (!(await ctx.checkoutRequests.insertCheckoutRequest(tx, ownerKey, idempotencyKey, answered, now))) throw new Rollback('key_taken');
        return { kind: 'existing', order: existing };
      }
      if (!inserted.requestStored) throw new Rollback('key_taken');
      stored.response.orderNumber = orderNumber;
      const reserved = await ctx.catalog.reserveStock(tx, lines);
      if (!reserved.ok) {
        const e = reserved.error;
        throw new Rollback(
          e.code === 'CATALOG.INSUFFICIENT_STOCK'
            ? { code: 'ORDERS.OUT_OF_STOCK', sku: e.sku, variantId: e.variantId, available: e.available, message: `${e.sku}: only ${e.available} left` }
            : { code: 'ORDERS.OUT_OF_STOCK', sku: lines.find((l) => l.variantId === e.variantId)?.sku ?? e.variantId, variantId: e.variantId, available: 0, message: e.message },
        );
      }
      if (ctx.promotions && pricing.promotions.length > 0) {
        const redeemed = await ctx.promotions.redeem(tx, {
          orderId,
          customerKey,
          currency,
          uses: pricing.promotions.map((p) => ({ promotionId: p.promotionId, amountMinor: p.amountMinor })),
        });
        if (!redeemed.ok) {
          const promotion = pricing.promotions.find((p) => p.promotionId === redeemed.promotionId);
          const label = promotion?.code ?? promotion?.name ?? redeemed.promotionId;
          throw new Rollback({
            code: 'ORDERS.PROMOTION_UNAVAILABLE',
            promotionCode: promotion?.code ?? null,
            reason: redeemed.reason,
            message: `body.promotionCode: ${label} ${redeemed.reason === 'USED_UP' ? 'has no uses left' : 'was already used by this customer as often as allowed'}`,
          });
        }
      }
      await ctx.events.publish(tx, OrderCreated.create({ ...payload, orderNumber }, { correlationId: orderId }));
      return { kind: 'placed', stored };
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (error.error !== 'key_taken') return fail(error.error);
    placed = { kind: 'key_taken' };
  }

  if (placed.kind === 'key_taken') {
    // A concurrent request under the same key committed first: answer as its retry would be answered.
    const winner = await ctx.checkoutRequests.findCheckoutRequest(ctx.db, ownerKey, idempotencyKey);
    if (!winner) throw new Error('idempotency key conflicted but is not stored');
    return sameKeyAnswer(winner, hash, answer);
  }
  await clearCartQuietly(ctx, owner);
  if (placed.kind === 'existing') return ok(answer(storedFor(placed.order, hash).response, true));
  return ok(answer(placed.stored.response, false));
}

function sameKeyAnswer(
  stored: StoredCheckout,
  hash: string,
  answer: (stored: StoredCheckout['response'], replayed: boolean) => CheckoutOutcome,
): Result<CheckoutOutcome, OrdersError> {
  if (stored.requestHash !== hash) {
    return fail({ code: 'ORDERS.IDEMPOTENCY_KEY_REUSED', message: 'Idempotency-Key was already used for a different request' });
  }
  return ok(answer(stored.response, true));
}

const storedFor = (order: Order, hash: string): StoredCheckout => ({
  requestHash: hash,
  orderId: order.id,
  response: { orderId: order.id, orderNumber: order.orderNumber, status: order.status, totalMinor: order.totalMinor, currency: order.currency },
});

async function clearCartQuietly(ctx: OrdersContext, owner: CartOwner): Promise<void> {
  try {
    await ctx.cart.clearCart(owner);
  } catch (error) {
    // The order exists; a cart left behind is shown again and, while the order is pending,
    // checking it out again finds the same order.
    ctx.logger.warn({ err: error }, 'cart not cleared after checkout');
  }
}
