import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './commerce-api.ts';

export type { components, paths } from './commerce-api.ts';

/** The commerce API, typed from its OpenAPI document: every path, parameter and answer. */
export type ShopClient = Client<paths>;

/** A schema of the API by name, e.g. `Schema<'CategoryNode'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/**
 * One client for the commerce API, in Node (the storefront's server, a script) or a browser or
 * app. `baseUrl` is the API's origin (`http://127.0.0.1:3000`), or `''` in a page served from the
 * storefront, which proxies `/api/*`.
 *
 * @example
 * const shop = createShopClient({ baseUrl: 'http://127.0.0.1:3000' });
 * const { data } = await shop.GET('/api/products', { params: { query: { q: 'linen', limit: 5 } } });
 */
export function createShopClient(options: ClientOptions = {}): ShopClient {
  return createClient<paths>(options);
}
