import type { FastifyInstance } from 'fastify';

/**
 * CORS for browsers sending straight to the collector (analytics.js, sendBeacon). The
 * write key is public by design (it ships in page source), so any origin may send unless
 * `allowedOrigins` narrows it. Credentials are never allowed: the key travels in a header.
 */
export function installCors(scope: FastifyInstance, allowedOrigins: string[] | '*'): void {
  const allows = (origin: string) => allowedOrigins === '*' || allowedOrigins.includes(origin);
  scope.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !allows(origin)) return;
    reply.header('access-control-allow-origin', allowedOrigins === '*' ? '*' : origin);
    if (allowedOrigins !== '*') reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'retry-after, x-request-id');
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-allow-headers', 'authorization, content-type, content-encoding, x-request-id');
      reply.header('access-control-max-age', '86400');
    }
  });
}
