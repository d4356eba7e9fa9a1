import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ShopClient } from '@shop/sdk';
import { getCategoryTree, type CategoryNode } from '../data/categories.ts';
import { BoundedMemo } from '../components/bounded-memo.ts';
import { Shopper } from '../data/shopper.ts';
import { localeFrom } from '../components/money.ts';
import { layout } from '../components/layout.ts';
import type { StorefrontConfig } from './config.ts';
import { appendSetCookies, cookiesOf, formFromOwnOrigin, seeOther } from '@shop/web';
import type { Page, View } from './view.ts';
import { listRegions, visitorRegion, type Region } from '../data/pricing.ts';
import { visitorCountry } from './visitor-country.ts';

/** Content-Security-Policy: this origin only, no inline script (JSON-LD is data, not script). */
export const CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; " +
  "manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

export interface Site {
  config: StorefrontConfig;
  client: ShopClient;
  assets: { css: string; js: string };
}

/** What a route handler works with: the shopper (for the API) and how to render for them. */
export interface RequestContext {
  shopper: Shopper;
  /** The visitor's region (chosen, else placed by country, else the first); remembered in the region cookie. */
  region(): Promise<Region | null>;
  view(): Promise<View>;
  render(reply: FastifyReply, page: Page): Promise<FastifyReply>;
  /**
   * Renders a page built only from `source` (a catalog answer, shared by every shopper) and the
   * view. For a shopper who is not signed in the document is the same for everyone with the same
   * locale and URL, so it is kept with `source` and goes once `source` is replaced by a fresher answer.
   */
  renderShared<S extends object>(reply: FastifyReply, source: S, page: (view: View, source: S) => Page): Promise<FastifyReply>;
  redirect(reply: FastifyReply, to: string): FastifyReply;
}

export function originOf(site: Site, request: FastifyRequest): string {
  return site.config.PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
}

/** A document's bytes, and its gzip when worth it (a browser on a slow network waits for every byte). */
interface EncodedDocument {
  raw: Buffer;
  gzip?: Buffer;
}

function encodeDocument(html: string, compress: boolean): EncodedDocument {
  const raw = Buffer.from(html);
  return compress && raw.length > 1024 ? { raw, gzip: gzipSync(raw, { level: 6 }) } : { raw };
}

/** Documents rendered from one catalog answer, for one category tree (the navigation), by locale, origin and URL. */
const sharedDocuments = new WeakMap<object, { tree: CategoryNode[]; documents: BoundedMemo<{ status: number; body: EncodedDocument }> }>();

export function contextFor(site: Site, request: FastifyRequest): RequestContext {
  const cookies = cookiesOf(request);
  const locale = localeFrom(request.headers['accept-language']);
  const shopper = new Shopper(site.client, cookies, locale, request.ip);
  const treeOrNone = () => getCategoryTree(shopper).catch((): CategoryNode[] => []);
  let regionOnce: Promise<Region | null> | undefined;
  const region = () =>
    (regionOnce ??= visitorRegion(shopper, visitorCountry(request.headers, site.config.COUNTRY_HEADER), site.config.COOKIE_SECURE).catch(() => null));
  const regionsOrNone = async () => ({ regions: await listRegions(shopper).catch((): Region[] => []), region: await region() });
  const viewOf = (tree: CategoryNode[], pricing: Pick<View, 'regions' | 'region'>): View => {
    return {
      ...pricing,
      shopName: site.config.SHOP_NAME,
      origin: originOf(site, request),
      locale,
      url: request.url,
      signedIn: shopper.signedIn,
      assets: site.assets,
      nav: tree.map((c) => ({ slug: c.slug, name: c.name })),
      csrf: shopper.cookies.csrf_token ?? '',
    };
  };
  const view = async () => viewOf(await treeOrNone(), await regionsOrNone());
  const gzipAccepted = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const send = (reply: FastifyReply, status: number, document: string | EncodedDocument) => {
    appendSetCookies(reply, shopper.setCookies);
    const { raw, gzip } = typeof document === 'string' ? encodeDocument(document, gzipAccepted) : document;
    reply
      .status(status)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('vary', `cookie, accept-language, accept-encoding, ${site.config.COUNTRY_HEADER.toLowerCase()}`);
    return gzipAccepted && gzip ? reply.header('content-encoding', 'gzip').send(gzip) : reply.send(raw);
  };
  return {
    shopper,
    region,
    view,
    async render(reply, page) {
      return send(reply, page.status ?? 200, layout(await view(), page));
    },
    async renderShared(reply, source, page) {
      const [tree, pricing] = await Promise.all([treeOrNone(), regionsOrNone()]);
      if (shopper.signedIn || shopper.cookies.csrf_token) {
        const v = viewOf(tree, pricing);
        const built = page(v, source);
        return send(reply, built.status ?? 200, layout(v, built));
      }
      let kept = sharedDocuments.get(source);
      if (!kept || kept.tree !== tree) {
        kept = { tree, documents: new BoundedMemo(16) };
        sharedDocuments.set(source, kept);
      }
      // The region shows in the header's selector: documents differ by region even where prices do not.
      const document = kept.documents.get(`${locale}|${pricing.region?.id ?? ''}|${originOf(site, request)}|${request.url}`, () => {
        const v = viewOf(tree, pricing);
        const built = page(v, source);
        // Kept as bytes, and compressed once: encoding the document for every answer cost as much as rendering it.
        return { status: built.status ?? 200, body: encodeDocument(layout(v, built), true) };
      });
      return send(reply, document.status, document.body);
    },
    redirect: (reply, to) => seeOther(reply, to, shopper.setCookies),
  };
}

/** Form posts from this site only, with the session's csrf token when signed in (see formFromOwnOrigin). */
export function formAllowed(site: Site, request: FastifyRequest): boolean {
  return formFromOwnOrigin(request, originOf(site, request));
}
