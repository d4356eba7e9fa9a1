/**
 * The PWA's worker. The shell (styles, script, icons, offline page) is cached at install; catalog
 * pages (home, categories, products) are fetched from the network first and kept for offline use.
 * Cart, checkout, orders, account and `/api/*` are network-only, never cached: a stale cart or
 * order must not be shown as current. Offline, those answer with the offline page.
 */
declare const SHELL_FILES: string[];
declare const SHELL_VERSION: string;
declare const self: ServiceWorkerGlobalScope;

const SHELL = `shell-${SHELL_VERSION}`;
const PAGES = 'pages-v1';
const STATIC = 'static-v1';
const MAX_PAGES = 60;

const LIVE = /^\/(api\/|cart|checkout|orders\/|account|t$)/;
const CATALOG = /^\/($|c\/|p\/|search)/;
const STATIC_FILES = /^\/(assets|icons|img)\//;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function offline(): Promise<Response> {
  return (await caches.match('/offline')) ?? new Response('You are offline.', { status: 503, headers: { 'content-type': 'text/plain' } });
}

async function networkFirst(request: Request): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const cache = await caches.open(PAGES);
      await cache.put(request, response.clone());
      const keys = await cache.keys();
      if (keys.length > MAX_PAGES) await cache.delete(keys[0]!);
    }
    return response;
  } catch {
    return (await caches.match(request)) ?? offline();
  }
}

async function cacheFirst(request: Request): Promise<Response> {
  const hit = await caches.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(STATIC)).put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (LIVE.test(url.pathname)) {
    if (request.mode === 'navigate') event.respondWith(fetch(request).catch(offline));
    return;
  }
  if (STATIC_FILES.test(url.pathname) || SHELL_FILES.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (request.mode === 'navigate' && CATALOG.test(url.pathname)) event.respondWith(networkFirst(request));
});
