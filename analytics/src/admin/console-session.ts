import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A signed-in admin's session: when it ends, and the form token bound to it. */
export interface ConsoleSession {
  expiresAt: number;
  csrf: string;
}

export interface ConsoleSessions {
  /** Whether `candidate` is the admin token (constant time whatever the lengths). */
  isAdminToken(candidate: string): boolean;
  /** A new session's cookie value. */
  issue(now: number): { cookie: string; session: ConsoleSession };
  /** The session a cookie value stands for, if its signature holds and it has not expired. */
  verify(cookie: string | undefined, now: number): ConsoleSession | null;
  /** Whether a form's `_csrf` is the session's own. */
  checkCsrf(session: ConsoleSession, sent: unknown): boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * Stateless sessions signed with a key derived from the admin token: any instance holding the
 * token checks any session without a shared store, and changing the token ends every session.
 * The cookie is `<expiresAt>.<nonce>.<signature>`; the CSRF token is a second signature of the
 * nonce, so it is tied to this session and needs no storage either.
 */
export function createConsoleSessions(adminToken: string, ttlMs: number): ConsoleSessions {
  const key = createHmac('sha256', adminToken).update('analytics console session v1').digest();
  const sign = (text: string) => createHmac('sha256', key).update(text).digest('base64url');
  const csrfOf = (nonce: string) => sign(`csrf.${nonce}`);
  return {
    isAdminToken: (candidate) => same(candidate, adminToken),
    issue(now) {
      const expiresAt = now + ttlMs;
      const nonce = randomBytes(18).toString('base64url');
      const body = `${expiresAt}.${nonce}`;
      return { cookie: `${body}.${sign(body)}`, session: { expiresAt, csrf: csrfOf(nonce) } };
    },
    verify(cookie, now) {
      const match = cookie ? /^(\d{13})\.([\w-]{24})\.([\w-]{43})$/.exec(cookie) : null;
      if (!match) return null;
      const [, expires, nonce, signature] = match as unknown as [string, string, string, string];
      if (!same(signature, sign(`${expires}.${nonce}`))) return null;
      const expiresAt = Number(expires);
      return expiresAt > now ? { expiresAt, csrf: csrfOf(nonce) } : null;
    },
    checkCsrf: (session, sent) => typeof sent === 'string' && sent.length > 0 && same(sent, session.csrf),
  };
}
