import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import type { IssuedSession } from '../domain/session.ts';

export const SESSION_COOKIE = 'sid';
/** Readable by the page's scripts on purpose: they copy it into the `x-csrf-token` header. */
export const CSRF_COOKIE = 'csrf_token';

export function setSessionCookies(reply: FastifyReply, session: IssuedSession, secure: boolean): void {
  const common = { path: '/', sameSite: 'lax' as const, secure, expires: session.expiresAt };
  reply.setCookie(SESSION_COOKIE, session.token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  const common = { path: '/', sameSite: 'lax' as const, secure };
  reply.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, common);
}

/** Marks a browser that signed in before; only sign-in reads it, so it travels to /api/auth only. */
export const DEVICE_COOKIE = 'device';
export const DEVICE_TTL_SECONDS = 180 * 24 * 3600;

export function setDeviceCookie(reply: FastifyReply, deviceToken: string, secure: boolean): void {
  reply.setCookie(DEVICE_COOKIE, deviceToken, { path: '/api/auth', sameSite: 'lax', secure, httpOnly: true, maxAge: DEVICE_TTL_SECONDS });
}
