import type { FastifyReply, FastifyRequest } from 'fastify';

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a malformed cookie is ignored, as a browser would
    }
  }
  return out;
}

export function cookiesOf(request: FastifyRequest): Record<string, string> {
  return parseCookies(request.headers.cookie);
}

/** Adds Set-Cookie lines to the answer, keeping those already there (the API's, passed through). */
export function appendSetCookies(reply: FastifyReply, lines: readonly string[]): void {
  if (lines.length === 0) return;
  const existing = reply.getHeader('set-cookie');
  const before = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...before, ...lines]);
}

export function cookieLine(name: string, value: string, options: { maxAgeSeconds: number; secure: boolean; httpOnly?: boolean }): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    `Max-Age=${options.maxAgeSeconds}`,
    'SameSite=Lax',
    ...(options.httpOnly === false ? [] : ['HttpOnly']),
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}
