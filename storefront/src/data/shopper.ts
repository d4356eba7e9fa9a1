import type { ShopClient } from '@shop/sdk';
import { ApiVisitor } from '@shop/web';

export { ApiError, expectOk, okOrNull, toApiError } from '@shop/web';

/** A shopper's visit: the SDK instance and, beyond any visitor, headers for catalog answers shared by everyone. */
export class Shopper extends ApiVisitor {
  constructor(
    readonly client: ShopClient,
    cookies: Record<string, string>,
    locale: string,
    forwardedFor: string,
  ) {
    super(cookies, locale, forwardedFor);
  }

  /**
   * For answers shared by every shopper (the catalog): no cookie, so nothing personal can be cached.
   * The shopper's browser reports the page and product view (`/t`), so the API must not count this read as one.
   */
  catalogHeaders(): Record<string, string> {
    return { 'accept-language': this.locale, 'x-forwarded-for': this.forwardedFor, 'x-view-tracking': 'client' };
  }
}
