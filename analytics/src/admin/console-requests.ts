import type { FastifyReply, FastifyRequest } from 'fastify';

// What answering a console request takes: its headers, its cookie, where its form came from, its fields.

/** No script runs, nothing frames the page, no other origin is reached. */
const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
export const HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  // Pages show keys (once) and personal ids: no cache keeps a copy.
  'cache-control': 'no-store',
};

export type Form = Record<string, string>;

export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Whether the browser says a POST comes from another site (Sec-Fetch-Site, else an Origin of another host). */
export function crossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}

export const refuseCrossSite = (reply: FastifyReply) => reply.code(403).type('text/plain; charset=utf-8').send('Cross-site form posts are refused');

/** A form number: digits become a number; anything else goes to the API as typed, for it to refuse by name. */
export const numberField = (text: string | undefined): number | string | undefined => {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  return /^\d{1,15}$/.test(t) ? Number(t) : t;
};

