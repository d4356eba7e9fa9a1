import type { paths } from '@shop/sdk';
import { CatalogCache } from './catalog-cache.ts';
import { expectOk, okOrNull, type Shopper } from './shopper.ts';

export type ProductQuery = NonNullable<paths['/api/products']['get']['parameters']['query']>;
export type ProductPage = paths['/api/products']['get']['responses'][200]['content']['application/json'];
export type ProductSummary = ProductPage['items'][number];
export type ProductDetail = paths['/api/products/{idOrSlug}']['get']['responses'][200]['content']['application/json'];
export type Variant = ProductDetail['variants'][number];

// Stock shown on a product page may be five to eight seconds old (a minute if the API is slow to answer);
// the cart and checkout always ask the API, and it is the API that refuses what is not in stock.
// Each refresh costs the API a product read: freshness, not traffic, sets the catalog load (ADR-0041).
const FRESH = { freshMs: 5_000, jitter: 0.5, maxStaleMs: 60_000 };
const lists = new CatalogCache<ProductPage>({ ...FRESH, maxEntries: 2_000 });
const details = new CatalogCache<ProductDetail | null>({ ...FRESH, maxEntries: 5_000 });

/** A listing page; with `query.region`, priced in that region's currency (each region is its own cache entry). */
export function listProducts(shopper: Shopper, query: ProductQuery): Promise<ProductPage> {
  return lists.get(JSON.stringify(query), () => expectOk(shopper, shopper.client.GET('/api/products', { params: { query }, headers: shopper.catalogHeaders() })));
}

/** A published product by slug or id, priced in `region`'s currency (catalog prices without one); `null` when there is none. */
export function getProduct(shopper: Shopper, idOrSlug: string, region?: string): Promise<ProductDetail | null> {
  return details.get(`${region ?? ''}|${idOrSlug}`, () =>
    okOrNull(shopper, shopper.client.GET('/api/products/{idOrSlug}', { params: { path: { idOrSlug }, ...(region ? { query: { region } } : {}) }, headers: shopper.catalogHeaders() })),
  );
}
