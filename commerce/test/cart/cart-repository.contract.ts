import { describe, expect, it } from 'vitest';
import type { CartRepository } from '../../src/modules/cart/application/ports/cart.repository.ts';
import type { Cart, CartLine } from '../../src/modules/cart/domain/cart.ts';
import type { CartOwner } from '../../src/modules/cart/domain/cart-owner.ts';

export interface CartRepositoryFixture {
  repository: CartRepository;
  /** Moves the clock the store expires keys by. */
  advance: (seconds: number) => Promise<void>;
  close: () => Promise<void>;
}

const line = (variantId: string, quantity = 1): CartLine => ({
  variantId,
  quantity,
  unitPriceMinor: 500,
  currency: 'EUR',
  productName: 'Mug',
  sku: `SKU-${variantId}`,
});
const cartOf = (...lines: CartLine[]): Cart => ({ lines, mergedGuestTokens: [] });
const guest: CartOwner = { kind: 'guest', token: 'a'.repeat(32) };
const user: CartOwner = { kind: 'user', userId: 'a'.repeat(32) };

/**
 * The one contract every CartRepository honours, whatever store is beneath it.
 * `make(ttlSeconds)` builds an isolated repository whose carts expire after `ttlSeconds`.
 */
export function cartRepositoryContract(
  name: string,
  make: (ttlSeconds: number) => Promise<CartRepositoryFixture>,
  options: { skip?: boolean } = {},
) {
  describe.skipIf(options.skip ?? false)(`CartRepository contract: ${name}`, () => {
    it('stores, reads and deletes a cart per owner', async () => {
      const { repository, close } = await make(60);
      try {
        expect(await repository.get(guest)).toBeNull();
        const stored = await repository.update(guest, () => ({ result: 'saved', save: cartOf(line('v1', 2)) }));
        expect(stored).toBe('saved');
        expect(await repository.get(guest)).toEqual(cartOf(line('v1', 2)));
        await repository.delete(guest);
        expect(await repository.get(guest)).toBeNull();
      } finally {
        await close();
      }
    });

    it('keeps a guest cart and a user cart apart even when token and user id are equal', async () => {
      const { repository, close } = await make(60);
      try {
        await repository.update(guest, () => ({ result: null, save: cartOf(line('g')) }));
        await repository.update(user, () => ({ result: null, save: cartOf(line('u')) }));
        expect((await repository.get(guest))?.lines.map((l) => l.variantId)).toEqual(['g']);
        expect((await repository.get(user))?.lines.map((l) => l.variantId)).toEqual(['u']);
      } finally {
        await close();
      }
    });

    it('writes nothing when the change saves nothing, and hands back its result', async () => {
      const { repository, close } = await make(60);
      try {
        const seen: Array<Cart | null> = [];
        const result = await repository.update(guest, (current) => {
          seen.push(current);
          return { result: 'no-op' };
        });
        expect(result).toBe('no-op');
        expect(seen).toEqual([null]);
        expect(await repository.get(guest)).toBeNull();
      } finally {
        await close();
      }
    });

    it('loses no update when 20 writers change one cart at once', async () => {
      const { repository, close } = await make(60);
      try {
        await repository.update(guest, () => ({ result: null, save: cartOf(line('v', 1)) }));
        await Promise.all(
          Array.from({ length: 20 }, () =>
            repository.update(guest, (current) => {
              const quantity = (current?.lines[0]?.quantity ?? 0) + 1;
              return { result: null, save: cartOf(line('v', quantity)) };
            }),
          ),
        );
        expect((await repository.get(guest))?.lines[0]?.quantity).toBe(21);
      } finally {
        await close();
      }
    });

    it('expires a cart after ttl seconds without writes, each write starting the period anew', async () => {
      const { repository, advance, close } = await make(2);
      try {
        await repository.update(guest, () => ({ result: null, save: cartOf(line('v', 1)) }));
        await advance(1.3);
        await repository.update(guest, (current) => ({ result: null, save: current ?? cartOf() }));
        await advance(1.3);
        // 2.6 s after creation but 1.3 s after the last write: still alive.
        expect(await repository.get(guest)).toEqual(cartOf(line('v', 1)));
        await advance(2.2);
        expect(await repository.get(guest)).toBeNull();
      } finally {
        await close();
      }
    });
  });
}
