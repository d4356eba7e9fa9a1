import { describe, expect, it } from 'vitest';
import { acceptCartChanges } from '../../src/modules/cart/application/accept-cart-changes.ts';
import { addItem } from '../../src/modules/cart/application/add-item.ts';
import type { CartContext } from '../../src/modules/cart/application/cart.context.ts';
import { getCart } from '../../src/modules/cart/application/get-cart.ts';
import { getCartForCheckout } from '../../src/modules/cart/application/get-cart-for-checkout.ts';
import { mergeGuestCart } from '../../src/modules/cart/application/merge-guest-cart.ts';
import { CART_TOKEN_PATTERN, type CartOwner } from '../../src/modules/cart/domain/cart-owner.ts';
import { createCartToken } from '../../src/modules/cart/infrastructure/cart-token.ts';
import { createKvCartRepository } from '../../src/modules/cart/infrastructure/kv-cart.repository.ts';
import { createMemoryStore } from '../../src/shared/kv/index.ts';
import { createFakeCatalog } from './support/fake-catalog.ts';

function setup() {
  const catalog = createFakeCatalog();
  const ctx: CartContext = {
    repository: createKvCartRepository(createMemoryStore(), { ttlSeconds: 3600 }),
    catalog,
    regionCurrency: null,
    inCurrency: () => catalog,
    limits: { maxLines: 5, maxQuantity: 10 },
    newToken: createCartToken,
  };
  return { ctx, catalog };
}

async function add(ctx: CartContext, owner: CartOwner | null, variantId: string, quantity: number): Promise<CartOwner> {
  const result = await addItem(ctx, owner, { variantId, quantity });
  if (!result.ok) throw new Error(result.error.code);
  return result.value.owner;
}

describe('cart use cases', () => {
  it('adding reads the added variant once: a new cart costs one catalog call, a second line one more for the first', async () => {
    const { ctx, catalog } = setup();
    const [a, b] = [catalog.add(), catalog.add()];
    const owner = await add(ctx, null, a.variantId, 1);
    expect(catalog.calls).toEqual([[a.variantId]]);
    catalog.calls.length = 0;
    const second = await addItem(ctx, owner, { variantId: b.variantId, quantity: 2 });
    expect(catalog.calls).toEqual([[b.variantId], [a.variantId]]);
    expect(second.ok && second.value.cart.lines.map((l) => [l.variantId, l.quantity])).toEqual([
      [a.variantId, 1],
      [b.variantId, 2],
    ]);
  });

  it('re-checks a cart of several lines with one catalog call, and an empty cart with none', async () => {
    const { ctx, catalog } = setup();
    const [a, b, c] = [catalog.add(), catalog.add(), catalog.add()];
    let owner = await add(ctx, null, a.variantId, 1);
    owner = await add(ctx, owner, b.variantId, 1);
    owner = await add(ctx, owner, c.variantId, 1);
    catalog.calls.length = 0;
    const view = await getCart(ctx, owner);
    expect(view.lines).toHaveLength(3);
    expect(catalog.calls).toHaveLength(1);
    expect(new Set(catalog.calls[0])).toEqual(new Set([a.variantId, b.variantId, c.variantId]));

    catalog.calls.length = 0;
    await getCart(ctx, { kind: 'guest', token: createCartToken() });
    expect(catalog.calls).toHaveLength(0);
  });

  it('creates a guest cart with a fresh unguessable token, also when the given token names no cart', async () => {
    const { ctx, catalog } = setup();
    const v = catalog.add();
    const first = await add(ctx, null, v.variantId, 1);
    expect(first.kind === 'guest' && CART_TOKEN_PATTERN.test(first.token)).toBe(true);

    const madeUp: CartOwner = { kind: 'guest', token: createCartToken() };
    const second = await add(ctx, madeUp, v.variantId, 1);
    expect(second).not.toEqual(madeUp);
    expect(second).not.toEqual(first);
    expect(await ctx.repository.get(madeUp)).toBeNull();
    expect((await getCart(ctx, first)).lines[0]?.quantity).toBe(1);
  });

  it('accept-changes takes current prices and drops what cannot be bought; the next read is clean', async () => {
    const { ctx, catalog } = setup();
    const [keep, dearer, gone] = [catalog.add({ priceMinor: 100 }), catalog.add({ priceMinor: 200 }), catalog.add()];
    let owner = await add(ctx, null, keep.variantId, 1);
    owner = await add(ctx, owner, dearer.variantId, 2);
    owner = await add(ctx, owner, gone.variantId, 1);
    catalog.update(dearer.variantId, { priceMinor: 250 });
    catalog.remove(gone.variantId);
    expect((await getCart(ctx, owner)).issues.map((i) => i.code).sort()).toEqual(['CART.PRICE_CHANGED', 'CART.VARIANT_UNAVAILABLE']);

    const accepted = await acceptCartChanges(ctx, owner);
    expect(accepted.lines.map((l) => [l.variantId, l.unitPriceMinor])).toEqual([
      [keep.variantId, 100],
      [dearer.variantId, 250],
    ]);
    expect(accepted).toMatchObject({ hasIssues: false, subtotalMinor: 600 });
    expect((await ctx.repository.get(owner))?.lines.find((l) => l.variantId === dearer.variantId)?.unitPriceMinor).toBe(250);
  });

  it('gives checkout the priced cart only when there is nothing left to review', async () => {
    const { ctx, catalog } = setup();
    const v = catalog.add({ priceMinor: 300, weightGrams: 120 });
    const nobody: CartOwner = { kind: 'user', userId: 'nobody' };
    expect(await getCartForCheckout(ctx, nobody)).toMatchObject({ ok: false, error: { code: 'CART.EMPTY' } });

    const owner = await add(ctx, { kind: 'user', userId: 'u1' }, v.variantId, 2);
    catalog.update(v.variantId, { priceMinor: 350 });
    const refused = await getCartForCheckout(ctx, owner);
    expect(refused).toMatchObject({ ok: false, error: { code: 'CART.HAS_ISSUES', issues: [{ code: 'CART.PRICE_CHANGED' }] } });

    await acceptCartChanges(ctx, owner);
    const ready = await getCartForCheckout(ctx, owner);
    expect(ready).toEqual({
      ok: true,
      value: {
        owner,
        currency: 'EUR',
        subtotalMinor: 700,
        itemCount: 2,
        lines: [
          expect.objectContaining({ variantId: v.variantId, quantity: 2, unitPriceMinor: 350, lineTotalMinor: 700, weightGrams: 120 }),
        ],
      },
    });
  });

  it('shows a cart from recent snapshots, but checkout reads current stock and refuses what sold meanwhile', async () => {
    const { ctx, catalog } = setup();
    const scarce = catalog.add({ available: 3 });
    const owner = await add(ctx, null, scarce.variantId, 3);
    catalog.sell(scarce.variantId, 2); // another shopper's order: no catalog write, the shown count may lag
    expect((await getCart(ctx, owner)).hasIssues).toBe(false);
    expect(await getCartForCheckout(ctx, owner)).toMatchObject({ ok: false, error: { code: 'CART.HAS_ISSUES' } });
  });

  it('merges a guest cart into the user cart once, even when two sign-ins race', async () => {
    const { ctx, catalog } = setup();
    const [shared, guestOnly] = [catalog.add(), catalog.add()];
    const user: CartOwner = { kind: 'user', userId: 'u1' };
    await add(ctx, user, shared.variantId, 2);
    const guest = await add(ctx, null, shared.variantId, 3);
    await add(ctx, guest, guestOnly.variantId, 1);
    if (guest.kind !== 'guest') throw new Error('expected a guest cart');

    const [first, second] = await Promise.all([mergeGuestCart(ctx, guest.token, 'u1'), mergeGuestCart(ctx, guest.token, 'u1')]);
    expect([first.merged.length, second.merged.length].sort()).toEqual([0, 2]);
    expect(await mergeGuestCart(ctx, guest.token, 'u1')).toEqual({ merged: [], dropped: [] });

    const view = await getCart(ctx, user);
    expect(view.lines.map((l) => [l.variantId, l.quantity])).toEqual([
      [shared.variantId, 5],
      [guestOnly.variantId, 1],
    ]);
    expect(await ctx.repository.get(guest)).toBeNull();
  });
});
