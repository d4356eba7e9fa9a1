import type { paths } from '@shop/sdk';
import { cookieLine } from '@shop/web';
import { expectOk, type Shopper } from './shopper.ts';

export type Region = paths['/api/regions']['get']['responses'][200]['content']['application/json']['regions'][number];
export type QuoteBody = NonNullable<paths['/api/checkout/quote']['post']['requestBody']>['content']['application/json'];
export type Quote = paths['/api/checkout/quote']['post']['responses'][200]['content']['application/json'];

/** The cookie the API reads the visitor's region from (forwarded with the visitor's other cookies). */
export const REGION_COOKIE = 'region';
/** The discount code the shopper entered, kept until the order is placed. */
export const PROMO_COOKIE = 'promo_code';

let regions: { at: number; list: Promise<Region[]> } | null = null;

/** Regions for the selector; the same for every visitor, so read at most every 30 s. */
export function listRegions(shopper: Shopper): Promise<Region[]> {
  if (!regions || Date.now() - regions.at > 30_000) {
    const list = expectOk(shopper, shopper.client.GET('/api/regions', { headers: shopper.catalogHeaders() })).then((r) => r.regions);
    regions = { at: Date.now(), list };
    list.catch(() => (regions = null));
  }
  return regions.list;
}

/** The visitor's region: the one they chose (cookie), else the one of `country`, else the first. */
export async function currentRegion(shopper: Shopper, country?: string): Promise<Region | null> {
  const all = await listRegions(shopper).catch((): Region[] => []);
  const chosen = shopper.cookies[REGION_COOKIE];
  return all.find((r) => r.id === chosen) ?? (country ? all.find((r) => r.countries.includes(country)) : undefined) ?? all[0] ?? null;
}

/**
 * The visitor's region, remembered in the region cookie when they had none (or an unknown one):
 * the API prices the cart, and the browser's own API calls, from that cookie, so every page and
 * the cart agree on one currency from the first page on.
 */
export async function visitorRegion(shopper: Shopper, country: string | undefined, secure: boolean): Promise<Region | null> {
  const region = await currentRegion(shopper, country);
  if (region && shopper.cookies[REGION_COOKIE] !== region.id) rememberRegion(shopper, region.id, secure);
  return region;
}

/** The region cookie, for the browser and for the API calls of this same request. */
export function rememberRegion(shopper: Shopper, regionId: string, secure: boolean): void {
  shopper.setCookies.push(cookieLine(REGION_COOKIE, regionId, { maxAgeSeconds: 365 * 86_400, secure }));
  shopper.cookies[REGION_COOKIE] = regionId;
}

/** What checking out the cart costs now, with the shopper's code; null when the cart cannot be quoted (empty, changed). */
export async function quoteCart(shopper: Shopper, body: QuoteBody): Promise<Quote | null> {
  return expectOk(shopper, shopper.client.POST('/api/checkout/quote', { body, headers: shopper.headers(true) })).catch(() => null);
}
