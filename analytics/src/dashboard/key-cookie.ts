import type { FastifyRequest } from 'fastify';

/**
 * The cookie that lets the server paint the dashboard's first numbers: the read or share key
 * itself, sent only to /dashboard (never to the API's routes), SameSite=Strict, for the browser
 * session. The page's script sets it too (so it is not HttpOnly: that script holds the key anyway,
 * to call the API). Its name and attributes match read-key.js.
 */
export const KEY_COOKIE = 'analytics_dashboard_key';

const attributes = (secure: boolean) => `Path=/dashboard; SameSite=Strict${secure ? '; Secure' : ''}`;

export const keyCookie = (key: string, secure: boolean) => `${KEY_COOKIE}=${encodeURIComponent(key)}; ${attributes(secure)}`;
export const forgetKeyCookie = (secure: boolean) => `${KEY_COOKIE}=; ${attributes(secure)}; Max-Age=0`;

/** What is wrong with a key before the API is asked (the page's keyProblem, in short), or null. */
export function validKey(key: string): string | null {
  if (!key) return 'Paste a read key first.';
  if (key.startsWith('wk_')) return 'That is a write key (wk_…): it can only send events. The dashboard needs a read key (rk_…).';
  if (!/^(rk|sk)_[\w-]{1,200}$/.test(key)) return 'A read key starts with rk_ and holds only letters, digits, _ and - after it.';
  return null;
}

export type RequestKey = { kind: 'none' } | { kind: 'malformed'; problem: string } | { kind: 'key'; key: string };

export function keyOfRequest(request: FastifyRequest): RequestKey {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== KEY_COOKIE) continue;
    let key: string;
    try {
      key = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return { kind: 'malformed', problem: 'The stored key could not be read. Paste your read key again.' };
    }
    if (!key) return { kind: 'none' };
    const problem = validKey(key);
    return problem ? { kind: 'malformed', problem } : { kind: 'key', key };
  }
  return { kind: 'none' };
}
