import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '@shop/platform';
import { createAnalyticsClient } from '@shop/sdk/analytics';
import { crossSite, refuseCrossSite } from '../admin/index.ts';
import { bundleScript } from '@shop/web';
import { loadFirstPaint, paintedView } from './first-paint.ts';
import { inProcessFetch } from './in-process-fetch.ts';
import { keyCookie, keyOfRequest, forgetKeyCookie, validKey } from './key-cookie.ts';
import { paintDashboard, paintKeyPanel } from './page-paint.ts';
import { readViewState } from './public/view-state.js';
import { DASHBOARD_SECURITY_HEADERS } from './security-headers.ts';

export interface DashboardRoutesOptions {
  /** Where index.html and its assets are; default: ./public beside this file. */
  publicDir?: string;
  /** The clock of the first paint's ranges; default: the wall clock. */
  now?: () => number;
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

const assetOf = (body: Buffer, type: string): Asset => ({ body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });

/**
 * Read once at registration: the set of servable files is fixed at start, so a request can
 * never name a path outside it (no traversal to guard against, no disk read per request).
 */
function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(name, assetOf(readFileSync(join(dir, name)), type));
  }
  return assets;
}

/** A form's fields (application/x-www-form-urlencoded). */
const formBody = z.object({ key: z.string().max(300).optional(), view: z.string().max(4000).optional() });

/** The view a form came from, as a path of this page only (never another site). */
const backTo = (view: string | undefined) => {
  const q = new URLSearchParams(view ?? '').toString();
  return q ? `/dashboard?${q}` : '/dashboard';
};

/**
 * The live dashboard: `GET /dashboard` (the page) and `GET /dashboard/assets/:file` (its ES
 * modules, stylesheet, icon, and sdk.js: the typed SDK bundled on first request).
 *
 * The page's first paint is server-rendered when the browser holds the key cookie
 * (`analytics_dashboard_key`, set by the page's script or by posting the key form to
 * `/dashboard/key`): the server asks the API the page's own questions through the SDK, in
 * process, and sends the numbers in the HTML with the answers behind them (an inert JSON block);
 * the script then takes over from those answers for live updates, without asking them again.
 * Without the cookie the page asks for a key. The key is never written into a page or a URL.
 *
 * @example
 * await registerDashboardRoutes(server);
 * // open http://127.0.0.1:3100/dashboard#key=rk_...
 */
export async function registerDashboardRoutes(app: FastifyInstance, options: DashboardRoutesOptions = {}): Promise<void> {
  const now = options.now ?? Date.now;
  const assets = loadAssets(options.publicDir ?? join(import.meta.dirname, 'public'));
  const page = assets.get('index.html');
  if (!page) throw new Error(`dashboard: no index.html in ${options.publicDir ?? 'public'}`);
  assets.delete('index.html');
  const template = page.body.toString('utf8');
  // Bundled when first asked for, not at start: most processes that compose the app never serve the page.
  let sdk: Promise<Asset> | undefined;
  const sdkAsset = () => (sdk ??= bundleScript(join(import.meta.dirname, 'sdk-entry.ts')).then((body) => assetOf(body, CONTENT_TYPES['.js']!)));

  const send = (request: FastifyRequest, reply: FastifyReply, asset: Asset) => {
    // Revalidate every time (cheap with the ETag) so a restart with new files is seen at once.
    reply.headers(DASHBOARD_SECURITY_HEADERS).header('cache-control', 'no-cache').header('etag', asset.etag);
    if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };
  // A painted page holds a tenant's numbers: no cache keeps a copy.
  const sendPage = (reply: FastifyReply, html: string, status = 200) =>
    reply.headers(DASHBOARD_SECURITY_HEADERS).header('cache-control', 'no-store').code(status).type(CONTENT_TYPES['.html']!).send(html);
  const secure = (request: FastifyRequest) => request.protocol === 'https';

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    const api = scope.withTypeProvider<ZodTypeProvider>();

    api.get('/dashboard', { schema: { hide: true } }, async (request, reply) => {
      // The page asks for sdk.js next: its bundle is under way by then (a failure is the asset route's to report).
      sdkAsset().catch(() => undefined);
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const found = keyOfRequest(request);
      if (found.kind === 'none') return sendPage(reply, paintKeyPanel(template, search));
      if (found.kind === 'malformed') {
        reply.header('set-cookie', forgetKeyCookie(secure(request)));
        return sendPage(reply, paintKeyPanel(template, search, found.problem));
      }
      const client = createAnalyticsClient({ baseUrl: 'http://dashboard.in-process', fetch: inProcessFetch(app, request.ip), headers: { authorization: `Bearer ${found.key}` } });
      const paint = await loadFirstPaint(client, paintedView(readViewState(search), now()));
      if (paint.refused) {
        reply.header('set-cookie', forgetKeyCookie(secure(request)));
        const shared = found.key.startsWith('sk_');
        const said = paint.refused.message;
        return sendPage(
          reply,
          paintKeyPanel(
            template,
            search,
            shared
              ? `This shared link no longer opens the dashboard: ${said} Ask whoever shared it for a new link.`
              : 'This read key was not accepted: it is unknown, revoked, or not a read key. Paste another read key (rk_…).',
          ),
        );
      }
      return sendPage(reply, paintDashboard(template, paint, { search, shared: found.key.startsWith('sk_'), now: now() }));
    });

    // The key form without a script: the key goes in the cookie, and the browser back to its view.
    api.post('/dashboard/key', { schema: { hide: true, body: formBody } }, async (request, reply) => {
      if (crossSite(request)) return refuseCrossSite(reply);
      const key = (request.body.key ?? '').trim();
      const problem = validKey(key);
      if (problem) return sendPage(reply, paintKeyPanel(template, request.body.view ?? '', problem), 400);
      return reply.header('set-cookie', keyCookie(key, secure(request))).redirect(backTo(request.body.view), 303);
    });

    api.post('/dashboard/forget', { schema: { hide: true, body: formBody } }, async (request, reply) => {
      if (crossSite(request)) return refuseCrossSite(reply);
      return reply.header('set-cookie', forgetKeyCookie(secure(request))).redirect(backTo(request.body.view), 303);
    });

    api.get(
      '/dashboard/assets/:file',
      { schema: { hide: true, params: z.object({ file: z.string().regex(/^[\w.-]{1,64}$/, { message: 'must be a file name' }) }) } },
      async (request, reply) => {
        const asset = request.params.file === 'sdk.js' ? await sdkAsset() : assets.get(request.params.file);
        if (!asset) throw notFound(`dashboard asset ${request.params.file}`);
        return send(request, reply, asset);
      },
    );
  });
}
