import { z } from 'zod';
import type { KeyValueStore } from '../../../shared/kv/index.ts';
import type { CartChange, CartRepository } from '../application/ports/cart.repository.ts';
import type { Cart } from '../domain/cart.ts';
import type { CartOwner } from '../domain/cart-owner.ts';

// Stored shape, versioned so a later change of shape can read older carts still alive in Redis.
const storedCart = z.object({
  v: z.literal(1),
  lines: z.array(
    z.object({
      variantId: z.string(),
      quantity: z.number().int().positive(),
      unitPriceMinor: z.number().int().nonnegative(),
      currency: z.string(),
      productName: z.string(),
      sku: z.string(),
    }),
  ),
  mergedGuestTokens: z.array(z.string()),
});

const keyOf = (owner: CartOwner) => (owner.kind === 'guest' ? `cart:guest:${owner.token}` : `cart:user:${owner.userId}`);

function parse(key: string, raw: string): Cart {
  const parsed = storedCart.safeParse(JSON.parse(raw));
  // A cart we cannot read is a bug or tampering, not a shopper's mistake.
  if (!parsed.success) throw new Error(`stored cart ${key} is unreadable: ${parsed.error.message}`);
  return { lines: parsed.data.lines, mergedGuestTokens: parsed.data.mergedGuestTokens };
}

const serialize = (cart: Cart) =>
  JSON.stringify({ v: 1, lines: cart.lines, mergedGuestTokens: cart.mergedGuestTokens } satisfies z.input<typeof storedCart>);

/**
 * Carts as JSON values in the key-value store (Redis or in-process), one key per owner,
 * written with compare-and-set so concurrent edits of one cart retry instead of overwriting
 * each other.
 */
export function createKvCartRepository(
  kv: KeyValueStore,
  options: { ttlSeconds: number; maxAttempts?: number },
): CartRepository {
  const maxAttempts = options.maxAttempts ?? 100;
  return {
    async get(owner) {
      const key = keyOf(owner);
      const raw = await kv.get(key);
      return raw === null ? null : parse(key, raw);
    },
    async update<R>(owner: CartOwner, change: (current: Cart | null) => CartChange<R>): Promise<R> {
      const key = keyOf(owner);
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const raw = await kv.get(key);
        const { result, save } = change(raw === null ? null : parse(key, raw));
        if (!save) return result;
        if (await kv.compareAndSet(key, raw, serialize(save), options.ttlSeconds)) return result;
        // Lost the race: back off a little, at random, so a crowd of writers spreads out.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
      }
      throw new Error(`cart ${key} kept changing under ${maxAttempts} attempts to update it`);
    },
    async delete(owner) {
      await kv.delete(keyOf(owner));
    },
  };
}
