import type { FastifyInstance } from 'fastify';

/** What every Segment browser library sends besides the safelisted headers (Authorization, and X-Retry-Count on retries). */
const DEFAULT_ALLOWED_HEADERS = 'authorization, content-type, content-encoding, x-request-id, x-retry-count';
/** A comma-separated list of header names, as a preflight's Access-Control-Request-Headers holds. */
const HEADER_LIST = /^[!#$%&'*+.^`|~\w-]+(?:\s*,\s*[!#$%&'*+.^`|~\w-]+)*$/;

/**
 * CORS for browsers sending straight to the collector (analytics.js, sendBeacon). The
 * write key is public by design (it ships in page source), so any origin may send unless
 * `allowedOrigins` narrows it, and a preflight may ask for any header: analytics.js lets a
 * site add its own (`deliveryStrategy.config.headers`), and refusing one would lose every
 * event. Credentials are never allowed, so nothing a header carries reaches another site.
 * The headers are set before routing and parsing, so every answer carries them, 4xx
 * included: a browser hides an answer without them from the page and from the library.
 */
export function installCors(scope: FastifyInstance, allowedOrigins: string[] | '*'): void {
  const allows = (origin: string) => allowedOrigins === '*' || allowedOrigins.includes(origin);
  scope.addHook('onRequest', async (request, reply) => {
    // sendBeacon posts in no-cors mode: the server-wide `same-origin` resource policy would make
    // the browser discard the answer with an error in the page's console (the event is stored).
    reply.header('cross-origin-resource-policy', 'cross-origin');
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !allows(origin)) return;
    reply.header('access-control-allow-origin', allowedOrigins === '*' ? '*' : origin);
    reply.header('access-control-expose-headers', 'retry-after, x-request-id');
    if (request.method !== 'OPTIONS') {
      if (allowedOrigins !== '*') reply.header('vary', 'Origin');
    } else {
      const asked = request.headers['access-control-request-headers'];
      const reflect = typeof asked === 'string' && asked.length <= 2000 && HEADER_LIST.test(asked.trim());
      reply.header('vary', allowedOrigins === '*' ? 'Access-Control-Request-Headers' : 'Origin, Access-Control-Request-Headers');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-allow-headers', reflect ? asked.trim().toLowerCase() : DEFAULT_ALLOWED_HEADERS);
      reply.header('access-control-max-age', '86400');
    }
  });
}
