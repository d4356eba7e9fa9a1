import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { CART_TOKEN_PATTERN, type CartOwner } from '../domain/cart-owner.ts';

export const CART_COOKIE = 'cart_token';

/**
 * The guest token a request carries: the `x-cart-token` header (mobile) wins over the
 * cookie. A malformed cookie is ignored rather than refused: it may be a stale leftover.
 */
export function readGuestToken(request: FastifyRequest): string | null {
  const header = request.headers['x-cart-token'];
  if (typeof header === 'string' && CART_TOKEN_PATTERN.test(header)) return header;
  const cookie = request.cookies?.[CART_COOKIE];
  return typeof cookie === 'string' && CART_TOKEN_PATTERN.test(cookie) ? cookie : null;
}

/**
 * Whose cart a request addresses: a signed-in shopper's own cart, else the guest cart its
 * token names, else none yet. For writes by a signed-in shopper `requireUser` runs too, so
 * cookie sessions pass the CSRF check.
 */
export async function resolveOwner(
  request: FastifyRequest,
  auth: Authenticator,
  access: 'read' | 'write',
): Promise<CartOwner | null> {
  const principal = await auth.identify(request);
  if (principal) {
    const user = access === 'write' ? await auth.requireUser(request) : principal;
    return { kind: 'user', userId: user.userId };
  }
  const token = readGuestToken(request);
  return token ? { kind: 'guest', token } : null;
}

export interface CartCookieOptions {
  ttlSeconds: number;
  secure: boolean;
}

/** Lax: sent on top-level navigation back to the shop, never on cross-site posts. */
export function setCartCookie(reply: FastifyReply, token: string, options: CartCookieOptions): void {
  reply.setCookie(CART_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secure,
    maxAge: options.ttlSeconds,
  });
}

export function clearCartCookie(reply: FastifyReply, options: CartCookieOptions): void {
  reply.clearCookie(CART_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure });
}
