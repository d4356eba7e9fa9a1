import type { FastifyInstance } from 'fastify';

/** Request headers the API needs; everything else (host, connection...) stays on this hop. */
const FORWARDED_REQUEST = ['accept', 'accept-language', 'content-type', 'cookie', 'x-csrf-token', 'idempotency-key', 'x-order-token', 'x-cart-token', 'authorization', 'stripe-signature', 'carrier-signature'];
// The API's own policy travels too: a document it serves sandboxed (captured mail) stays sandboxed on this origin.
const FORWARDED_RESPONSE = ['content-type', 'cache-control', 'location', 'idempotency-replayed', 'retry-after', 'x-request-id', 'content-security-policy'];

/**
 * `/api/*` on a client's origin (storefront, back office) is the commerce API: the browser talks to
 * one origin, so the API's cookies (session, csrf, cart) and its CSRF check work exactly as they do
 * on the API itself. Bodies pass through as bytes (webhook signatures cover them), up to `bodyLimit`
 * (the back office uploads product images).
 */
export function apiProxy(commerceUrl: string, options: { bodyLimit?: number } = {}) {
  const base = commerceUrl.replace(/\/$/, '');
  return async (app: FastifyInstance) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: options.bodyLimit ?? 1024 * 1024 }, (_request, body, done) => done(null, body));
    app.all('/api/*', async (request, reply) => {
      const headers: Record<string, string> = { 'x-forwarded-for': request.ip, 'x-forwarded-proto': request.protocol };
      for (const name of FORWARDED_REQUEST) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && Buffer.isBuffer(request.body);
      let answer: Response;
      try {
        answer = await fetch(`${base}${request.url}`, {
          method: request.method,
          headers,
          body: hasBody ? (request.body as Buffer) : undefined,
          redirect: 'manual',
          signal: AbortSignal.timeout(30_000),
        });
      } catch {
        return reply.status(502).send({ error: 'API_UNREACHABLE', message: 'The shop API cannot be reached; try again in a moment' });
      }
      for (const name of FORWARDED_RESPONSE) {
        const value = answer.headers.get(name);
        if (value !== null) reply.header(name, value);
      }
      const cookies = answer.headers.getSetCookie();
      if (cookies.length) reply.header('set-cookie', cookies);
      // Live state: never kept by the browser, the service worker or a shared cache.
      if (!answer.headers.has('cache-control')) reply.header('cache-control', 'no-store');
      return reply.status(answer.status).send(Buffer.from(await answer.arrayBuffer()));
    });
  };
}
