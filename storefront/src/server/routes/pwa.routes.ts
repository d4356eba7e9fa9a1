import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { offlinePage } from '../../pages/status.ts';
import type { Asset, Assets } from '../assets.ts';
import { contextFor, type Site } from '../context.ts';
import { ICON_SVG } from '../icon.ts';

function sendAsset(request: FastifyRequest, reply: FastifyReply, file: Asset, cacheControl: string) {
  reply.header('content-type', file.type).header('cache-control', cacheControl).header('vary', 'accept-encoding');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').send(file.gzip);
  return reply.send(file.body);
}

/** The installable app: manifest, icons, service worker, offline page, and the hashed files. */
export function pwaRoutes(site: Site, assets: Assets) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
      const file = assets.files.get(`/assets/${request.params.file}`);
      if (!file) return reply.status(404).send();
      return sendAsset(request, reply, file, 'public, max-age=31536000, immutable');
    });

    // Not hashed and never cached by HTTP: the browser must see a new worker as soon as there is one.
    app.get('/sw.js', async (request, reply) => sendAsset(request, reply.header('service-worker-allowed', '/'), assets.serviceWorker, 'no-cache'));

    app.get('/manifest.webmanifest', async (_request, reply) =>
      reply
        .header('content-type', 'application/manifest+json')
        .header('cache-control', 'public, max-age=3600')
        .send({
          name: site.config.SHOP_NAME,
          short_name: site.config.SHOP_NAME.split(' ')[0],
          description: 'Everyday goods, made to last.',
          id: '/',
          start_url: '/?source=pwa',
          scope: '/',
          display: 'standalone',
          background_color: '#f7f5f0',
          theme_color: '#1f3a5f',
          icons: [
            { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
            { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
            { src: '/icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          ],
          shortcuts: [{ name: 'Cart', url: '/cart' }, { name: 'Orders', url: '/account/orders' }],
        }),
    );

    app.get('/icons/icon.svg', async (_request, reply) => reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(ICON_SVG));
    // Browsers ask for it whatever the page links to.
    app.get('/favicon.ico', async (_request, reply) =>
      reply.header('content-type', 'image/png').header('cache-control', 'public, max-age=86400').send(assets.icons.get('/icons/icon-192.png')),
    );
    app.get<{ Params: { file: string } }>('/icons/:file', async (request, reply) => {
      const png = assets.icons.get(`/icons/${request.params.file}`);
      if (!png) return reply.status(404).send();
      return reply.header('content-type', 'image/png').header('cache-control', 'public, max-age=86400').send(png);
    });

    app.get('/offline', async (request, reply) => {
      const ctx = contextFor(site, request);
      return ctx.render(reply, offlinePage());
    });
  };
}
