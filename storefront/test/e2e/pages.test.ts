import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorefrontApp } from '../../src/server/app.ts';
import { loadStorefrontConfig } from '../../src/server/config.ts';
import { inStockSlugs } from '../support/shopper.ts';
import { startStack, until, type Stack } from '../support/stack.ts';

interface Collected {
  type: string;
  event?: string;
  name?: string;
  anonymousId: string;
  properties?: Record<string, unknown>;
  context?: { page?: { path?: string } };
}

/** One analytics collector for both senders, commerce's tracking and the storefront's `/t`: what the tenant receives. */
const collected: Collected[] = [];
const collector = createServer((req: IncomingMessage, res) => {
  let text = '';
  req.on('data', (c: Buffer) => (text += c.toString()));
  req.on('end', () => {
    if (req.url === '/v1/batch') collected.push(...(JSON.parse(text) as { batch: Collected[] }).batch);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
  });
});

let stack: Stack;
let slug: string;
beforeAll(async () => {
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  const analytics = { ANALYTICS_URL: `http://127.0.0.1:${(collector.address() as { port: number }).port}`, ANALYTICS_WRITE_KEY: `wk_${'s'.repeat(40)}` };
  stack = await startStack(analytics, analytics);
  slug = (await inStockSlugs(stack.commerceUrl, 't-shirts', 1))[0]!;
}, 660_000);
afterAll(async () => {
  await stack?.close();
  collector.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${stack.storefrontUrl}${path}`, { headers, redirect: 'manual' });
const postForm = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${stack.storefrontUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
const meta = (html: string, attr: string, name: string) => html.match(new RegExp(`<meta ${attr}="${name}" content="([^"]*)"`))?.[1];
const cookieHeader = (res: Response, jar: Record<string, string> = {}) => {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const [k, v] = pair!.split('=');
    jar[k!] = v!;
  }
  return jar;
};
const asCookie = (jar: Record<string, string>) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');

describe('pages rendered on the server (the browse path without JavaScript)', () => {
  it('the product page carries its title, description, canonical URL, Open Graph and Product JSON-LD', async () => {
    const res = await get(`/p/${slug}`, { 'accept-language': 'de-DE,de;q=0.9' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    const name = html.match(/<h1>([^<]+)<\/h1>/)![1]!;
    expect(html).toContain(`<title>${name} · Northwind Supply</title>`);
    expect(meta(html, 'name', 'description')).toBeTruthy();
    expect(html).toContain(`<link rel="canonical" href="${stack.storefrontUrl}/p/${slug}">`);
    expect(meta(html, 'property', 'og:type')).toBe('product');
    expect(meta(html, 'property', 'og:image')).toBe(`${stack.storefrontUrl}/img/p/${slug}.svg`);
    const ld = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)![1]!);
    expect(ld).toMatchObject({ '@type': 'Product', name, offers: expect.arrayContaining([expect.objectContaining({ '@type': 'Offer', priceCurrency: 'EUR' })]) });
    // German visitors read German prices; the only scripts are the module file and the JSON-LD data.
    expect(html).toMatch(/data-price>\d+,\d{2}\s€</);
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/^<script type="module" src="\/assets\/app\.\w+\.js">$/), '<script type="application/ld+json">']);
    expect(html).not.toMatch(/\son\w+=|\sstyle=/);
  });

  it('home, category and search render their products and link every product page', async () => {
    for (const path of ['/', '/c/clothing', '/c/t-shirts?sort=price_asc&instock=1', '/search?q=mug']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html.match(/<li class="card">/g)?.length ?? 0, path).toBeGreaterThan(0);
      expect(html).toMatch(/<a href="\/p\/[a-z0-9-]+">/);
    }
    const category = await (await get('/c/clothing?sort=price_asc')).text();
    const prices = [...category.matchAll(/<span class="price">€(\d+\.\d\d)<\/span>/g)].map((m) => Number(m[1]));
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    // The next page is a plain link that keeps the filters: shareable.
    expect(category).toMatch(/<a class="button" rel="next" href="\/c\/clothing\?sort=price_asc&amp;cursor=[\w-]+">/);
  });

  it('filters a category by variant options with a plain GET form: checkboxes with counts, a shareable URL, only matching products', async () => {
    const api = async (query: string) => (await (await fetch(`${stack.commerceUrl}/api/products?${query}`)).json()) as { items: { slug: string }[]; nextCursor: string | null };
    const all = await (await get('/c/t-shirts')).text();
    const box = all.match(/<input type="checkbox" id="(opt-[\w-]+)" name="option" value="size:M"\s*data-autosubmit>/);
    expect(box, 'an unticked size M checkbox').not.toBeNull();
    const count = Number(all.match(new RegExp(`<label for="${box![1]}">M <span class="count">\\((\\d+)\\)</span>`))![1]);
    expect(count).toBeGreaterThan(0);

    // What the browser sends for the form with "M" and "Navy" ticked, JavaScript off.
    const html = await (await get('/c/t-shirts?sort=price_asc&option=size%3AM&option=colour%3ANavy')).text();
    expect(html).toMatch(/name="option" value="size:M" checked/);
    expect(html).toMatch(/name="option" value="colour:Navy" checked/);
    const shown = [...html.matchAll(/<li class="card">\s*<a href="\/p\/([a-z0-9-]+)">/g)].map((m) => m[1]);
    const expected = await api('category=t-shirts&sort=price_asc&option=size:M&option=colour:Navy&limit=24');
    expect(shown).toEqual(expected.items.map((p) => p.slug));
    expect(shown.length).toBeLessThan(count + 1);
    // Fewer than with M alone: the second option narrows.
    expect((await api('category=t-shirts&option=size:M&limit=100')).items.length).toBe(count);
    // A malformed term is dropped, not an error page.
    expect((await get('/c/t-shirts?option=nonsense&option=size%3A')).status).toBe(200);
  });

  it('answers 404 pages for unknown paths, categories and products, and serves robots.txt and a sitemap', async () => {
    for (const path of ['/nope', '/c/nope', '/p/nope', '/p/Bad..Slug', '/orders/not-an-id']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain('We could not find that page');
    }
    const robots = await (await get('/robots.txt')).text();
    expect(robots).toContain(`Sitemap: ${stack.storefrontUrl}/sitemap.xml`);
    expect(robots).toContain('Disallow: /checkout');
    const sitemap = await (await get('/sitemap.xml')).text();
    expect(sitemap).toContain(`<loc>${stack.storefrontUrl}/p/${slug}</loc>`);
    expect(sitemap).toContain(`<loc>${stack.storefrontUrl}/c/t-shirts</loc>`);
    expect(sitemap.match(/<loc>/g)!.length).toBeGreaterThan(200);
  });

  it('without JavaScript: adds to the cart with a form, and checkout answers the API validation next to the field', async () => {
    const product = await (await get(`/p/${slug}`)).text();
    const variantId = product.match(/name="variantId" value="([0-9a-f-]{36})" checked/)![1]!;
    const added = await postForm('/cart/add', { variantId, quantity: '2' });
    expect(added.status).toBe(303);
    expect(added.headers.get('location')).toBe('/cart');
    const jar = cookieHeader(added);
    expect(jar.cart_token).toBeTruthy();
    const cart = await (await get('/cart', { cookie: asCookie(jar) })).text();
    expect(cart).toMatch(/name="quantity" type="number" min="0" max="99" value="2"/);

    const checkout = await get('/checkout', { cookie: asCookie(jar) });
    cookieHeader(checkout, jar);
    const key = (await checkout.text()).match(/name="idempotencyKey" value="([^"]+)"/)![1]!;
    const form = { idempotencyKey: key, email: 'nojs@storefront.test', name: 'No Script', line1: '1 Main St', city: 'Lyon', postalCode: 'X'.repeat(25), country: 'FR', shippingOptionId: 'standard', card: '4242424242424242' };
    const refused = await postForm('/checkout', form, { cookie: asCookie(jar) });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(/<p class="error" id="f-postalCode-error">Postal code [^<]+<\/p>/);

    // The same key twice (a double submit, a resubmitted reload) places one order.
    const placed = await postForm('/checkout', { ...form, postalCode: '69001' }, { cookie: asCookie(jar) });
    const again = await postForm('/checkout', { ...form, postalCode: '69001' }, { cookie: asCookie(jar) });
    expect(placed.status).toBe(303);
    expect(placed.headers.get('location')).toMatch(/^\/orders\/[0-9a-f-]{36}\?token=/);
    expect(again.headers.get('location')).toBe(placed.headers.get('location'));
    const order = await get(placed.headers.get('location')!);
    expect(await order.text()).toContain('nojs@storefront.test');
  });

  it('shows a cart line whose price changed as such, and takes the new price when the shopper accepts', async () => {
    const [other] = (await inStockSlugs(stack.commerceUrl, 'mugs', 1)) as [string];
    const product = await (await get(`/p/${other}`)).text();
    const variantId = product.match(/name="variantId" value="([0-9a-f-]{36})" checked/)![1]!;
    const jar = cookieHeader(await postForm('/cart/add', { variantId, quantity: '1' }));
    const admin = { authorization: `Bearer ${await stack.adminToken()}`, 'content-type': 'application/json' };
    const variant = (await (await fetch(`${stack.commerceUrl}/api/products/${other}`)).json()) as { variants: { id: string; priceMinor: number }[] };
    const was = variant.variants.find((v) => v.id === variantId)!.priceMinor;
    const changed = await fetch(`${stack.commerceUrl}/api/admin/variants/${variantId}`, { method: 'PATCH', headers: admin, body: JSON.stringify({ priceMinor: was + 500 }) });
    expect(changed.status).toBe(200);

    const cart = await (await get('/cart', { cookie: asCookie(jar) })).text();
    expect(cart).toContain('Some items changed since you added them.');
    expect(cart).toMatch(/Price changed from €[\d.]+ to €[\d.]+\./);
    expect(cart).toContain('aria-disabled="true"'); // checkout waits for the shopper's answer
    const accepted = await postForm('/cart/accept-changes', {}, { cookie: asCookie(jar) });
    expect(accepted.status).toBe(303);
    const after = await (await get('/cart', { cookie: asCookie(jar) })).text();
    expect(after).not.toContain('Price changed');
    expect(after).toContain(`€${((was + 500) / 100).toFixed(2)}`);
  });

  it('the header\'s region form comes back to its page on this site only and sets the cookie; pages follow the cookie, else the country header', async () => {
    const back = await postForm('/region', { region: 'jp', return: '/c/mugs?sort=price_asc' });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/c/mugs?sort=price_asc');
    expect(back.headers.getSetCookie().join('\n')).toMatch(/(^|\n)region=jp;/);
    for (const elsewhere of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
      expect((await postForm('/region', { region: 'jp', return: elsewhere })).headers.get('location'), elsewhere).toMatch(/^\/cart\?country=JP$/);
    }
    const priceOf = async (headers: Record<string, string>) => {
      const res = await get(`/p/${slug}`, headers);
      return { price: (await res.text()).match(/data-price>([^<]*)</)?.[1], cookie: res.headers.getSetCookie().join('\n') };
    };
    expect((await priceOf({ cookie: 'region=jp', 'accept-language': 'en-GB' })).price).toMatch(/^JP¥[\d,]+$/);
    const placed = await priceOf({ 'x-country': 'US', 'accept-language': 'en-US' });
    expect(placed.price).toMatch(/^\$\d+\.\d\d$/);
    expect(placed.cookie).toMatch(/(^|\n)region=us;/);
    expect((await priceOf({ 'accept-language': 'en-GB' })).price).toMatch(/^€\d+\.\d\d$/);
  });

  it('refuses a form posted from another origin', async () => {
    const res = await postForm('/cart/add', { variantId: crypto.randomUUID(), quantity: '1' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('proxies /api/* to commerce on the same origin, cookies and errors included, never cached', async () => {
    const list = await get('/api/products?limit=2');
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(2);
    const bad = await get('/api/products?limit=1000');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/limit/);
    const product = (await (await get(`/api/products/${slug}`)).json()) as { variants: { id: string; available: number }[] };
    const added = await fetch(`${stack.storefrontUrl}/api/cart/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variantId: product.variants.find((v) => v.available > 0)!.id, quantity: 1 }),
    });
    expect(added.status).toBe(200);
    expect(added.headers.getSetCookie().some((c) => c.startsWith('cart_token='))).toBe(true);
    expect(added.headers.get('cache-control')).toBe('no-store');
  });

  it('ships at most 50 KB of compressed JavaScript to the product page', async () => {
    const html = await (await get(`/p/${slug}`)).text();
    let total = 0;
    for (const [, src] of html.matchAll(/<script type="module" src="([^"]+)">/g)) {
      // inject: fetch would undo the compression we are measuring.
      const res = await stack.storefront.inject({ method: 'GET', url: src!, headers: { 'accept-encoding': 'gzip' } });
      expect(res.headers['cache-control']).toContain('immutable');
      expect(res.headers['content-encoding']).toBe('gzip');
      const body = res.rawPayload;
      total += body.length;
      expect(gunzipSync(body).length).toBeGreaterThan(body.length);
    }
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(50 * 1024);
  });
});

describe('page views to the analytics collector', () => {
  it('counts a shopper opening a product page once: the browser reports the view, the storefront server reading the product does not', async () => {
    const fresh = (await inStockSlugs(stack.commerceUrl, 'mugs', 3)).at(-1)!;
    // The server renders the page (reading the product from the API, nothing cached yet)...
    const page = await get(`/p/${fresh}`);
    expect(page.status).toBe(200);
    const productId = (await page.text()).match(/data-product-id="([0-9a-f-]{36})"/)![1]!;
    // ...and the browser sends what the page's script sends: the page view and Product Viewed.
    const beacon = { batch: [{ type: 'page', name: 'Mug', properties: { path: `/p/${fresh}` } }, { type: 'track', event: 'Product Viewed', properties: { product_id: productId, path: `/p/${fresh}` } }] };
    expect((await fetch(`${stack.storefrontUrl}/t`, { method: 'POST', body: JSON.stringify(beacon), headers: { 'content-type': 'text/plain' } })).status).toBe(202);
    // Commerce forwards its spool in order: once a later event of its own arrives, any view it counted has arrived too.
    const marker = `marker${Date.now()}`;
    await fetch(`${stack.commerceUrl}/api/products?q=${marker}`);
    await until('commerce forwarded the marker search', () => collected.some((m) => m.event === 'Products Searched' && m.properties?.query === marker), 60_000);
    await until('the browser beacon arrived', () => collected.some((m) => m.event === 'Product Viewed' && m.properties?.product_id === productId));

    const aboutThisProduct = (m: Collected) => m.properties?.product_id === productId || m.properties?.slug === fresh || String(m.properties?.path ?? m.context?.page?.path ?? '').endsWith(`/${fresh}`);
    expect(collected.filter((m) => m.event === 'Product Viewed' && aboutThisProduct(m))).toHaveLength(1);
    expect(collected.filter((m) => m.type === 'page' && aboutThisProduct(m))).toHaveLength(1);
  });

  it('forwards the browser’s events from /t to the collector as the shop tenant, with the write key added on the server', async () => {
    const received: { auth: string | undefined; body: { batch: { type: string; event?: string; anonymousId: string }[] } }[] = [];
    const collector = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        if (req.url === '/v1/batch') received.push({ auth: req.headers.authorization, body: JSON.parse(text) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const writeKey = `wk_${'a'.repeat(40)}`;
    const port = (collector.address() as { port: number }).port;
    const app = await createStorefrontApp(
      loadStorefrontConfig({ COMMERCE_URL: stack.commerceUrl, ANALYTICS_URL: `http://127.0.0.1:${port}`, ANALYTICS_WRITE_KEY: writeKey, LOG_LEVEL: 'silent' }),
      { logger: false },
    );
    try {
      const beacon = JSON.stringify({ batch: [{ type: 'page', name: 'Home', properties: { path: '/' } }, { type: 'track', event: 'Product Viewed', properties: { product_id: 'p1' } }] });
      // sendBeacon posts text/plain.
      const sent = await app.inject({ method: 'POST', url: '/t', headers: { 'content-type': 'text/plain;charset=UTF-8' }, payload: beacon });
      expect(sent.statusCode).toBe(202);
      expect(String(sent.headers['set-cookie'])).toMatch(/ajs_anonymous_id=/);
      await expect.poll(() => received.length).toBe(1);
      expect(received[0]!.auth).toBe(`Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`);
      expect(received[0]!.body.batch.map((e) => e.event ?? e.type)).toEqual(['page', 'Product Viewed']);
      expect(new Set(received[0]!.body.batch.map((e) => e.anonymousId)).size).toBe(1);
      const html = (await app.inject({ method: 'GET', url: '/' })).body;
      expect(html).not.toContain(writeKey);

      const bad = await app.inject({ method: 'POST', url: '/t', headers: { 'content-type': 'application/json' }, payload: { batch: [{ type: 'identify' }] } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toMatch(/batch\.0/);
    } finally {
      await app.close();
      collector.close();
    }
  });
});
