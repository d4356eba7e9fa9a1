import { createHash } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Who is checking out, as stored: a guest's cart token is a bearer secret, so only its hash is kept. */
export function ownerKeyOf(owner: { kind: 'user'; userId: string } | { kind: 'guest'; token: string }): string {
  return owner.kind === 'user' ? `user:${owner.userId}` : `guest:${sha256(owner.token)}`;
}

/**
 * The cart an order is placed from, as an identity: the owner plus what is in it at which price.
 * The cart has no id or version of its own, so its content stands in: a double click or a retry
 * with a fresh Idempotency-Key carries the same content and finds the order already placed.
 */
export function checkoutIdentity(
  ownerKey: string,
  currency: string,
  lines: readonly { variantId: string; quantity: number; unitPriceMinor: number }[],
): string {
  const content = [...lines]
    .map((l) => `${l.variantId.toLowerCase()}:${l.quantity}:${l.unitPriceMinor}`)
    .sort()
    .join(',');
  return sha256(`${ownerKey}|${currency}|${content}`);
}

/** A fingerprint of a checkout request body, to tell a retry from a different request under the same key. */
export function requestHash(body: unknown): string {
  return sha256(canonicalJson(body));
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A guest's order access token, derived from their cart token (a secret only they hold) and the
 * order id: it can be handed out again on a retry without storing it; only its hash is stored.
 */
export function guestOrderToken(cartToken: string, orderId: string): string {
  return createHash('sha256').update(`order-access\u0000${cartToken}\u0000${orderId}`).digest('base64url');
}

export const tokenHash = sha256;
