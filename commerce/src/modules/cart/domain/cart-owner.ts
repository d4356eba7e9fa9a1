/**
 * Whose cart: an anonymous shopper holding an unguessable token, or a signed-in user.
 * A signed-in shopper's cart is keyed by user id so it follows them across devices.
 */
export type CartOwner = { kind: 'guest'; token: string } | { kind: 'user'; userId: string };

/** 32 base64url characters: the shape `createCartToken` produces (192 random bits). */
export const CART_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;
