import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

/** The tracking script as served: read once at start, gzipped once. */
export function loadTrackingScript(path = join(import.meta.dirname, 't.js')): { body: Buffer; gzip: Buffer; etag: string } {
  const body = readFileSync(path);
  return { body, gzip: gzipSync(body, { level: 9 }), etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
}

/**
 * `GET /t.js`: the first-party tracking script a site adds in one line. Other sites load it, so
 * it says `Cross-Origin-Resource-Policy: cross-origin` (the server's default, same-origin, would
 * make browsers refuse it) and is cached for an hour, revalidated by ETag.
 *
 * @example
 * <script defer src="https://analytics.example/t.js" data-write-key="wk_..."></script>
 */
export async function registerTrackerRoutes(app: FastifyInstance): Promise<void> {
  const script = loadTrackingScript();
  app.get(
    '/t.js',
    { schema: { summary: 'The tracking script: page views (SPA included), outbound and download clicks, window.shop.track()', tags: ['collector'] } },
    async (request, reply) => {
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('etag', script.etag)
        .header('vary', 'Accept-Encoding')
        .header('cross-origin-resource-policy', 'cross-origin');
      if (request.headers['if-none-match'] === script.etag) return reply.status(304).send();
      if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(script.gzip);
      return reply.send(script.body);
    },
  );
}
