import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '@shop/platform';
import { DASHBOARD_SECURITY_HEADERS } from './security-headers.ts';

export interface DashboardRoutesOptions {
  /** Where index.html and its assets are; default: ./public beside this file. */
  publicDir?: string;
}

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Read once at registration: the set of servable files is fixed at start, so a request can
 * never name a path outside it (no traversal to guard against, no disk read per request).
 */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(join(dir, name));
    assets.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  return assets;
}

/**
 * The live dashboard: `GET /dashboard` (the page) and `GET /dashboard/assets/:file` (its ES
 * modules, stylesheet and icon), plain files with no build step. The page itself holds no data
 * and no key: it reads `/v1/query`, `/v1/stream` and `/v1/reconciliation` with the read key
 * the user gives it, so it needs no authentication of its own.
 *
 * @example
 * await registerDashboardRoutes(server);
 * // open http://127.0.0.1:3100/dashboard#key=rk_...
 */
export async function registerDashboardRoutes(app: FastifyInstance, options: DashboardRoutesOptions = {}): Promise<void> {
  const assets = loadAssets(options.publicDir ?? join(import.meta.dirname, 'public'));
  const page = assets.get('index.html');
  if (!page) throw new Error(`dashboard: no index.html in ${options.publicDir ?? 'public'}`);
  assets.delete('index.html');

  const send = (request: FastifyRequest, reply: FastifyReply, asset: Asset) => {
    // Revalidate every time (cheap with the ETag) so a restart with new files is seen at once.
    reply.headers(DASHBOARD_SECURITY_HEADERS).header('cache-control', 'no-cache').header('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/dashboard', { schema: { hide: true } }, (request, reply) => send(request, reply, page));
  api.get(
    '/dashboard/assets/:file',
    { schema: { hide: true, params: z.object({ file: z.string().regex(/^[\w.-]{1,64}$/, { message: 'must be a file name' }) }) } },
    (request, reply) => {
      const asset = assets.get(request.params.file);
      if (!asset) throw notFound(`dashboard asset ${request.params.file}`);
      return send(request, reply, asset);
    },
  );
}
