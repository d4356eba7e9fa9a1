/**
 * Which API answers are shopper behaviour worth sending, keyed on the route pattern Fastify
 * matched (`request.routeOptions.url`), the method and the status. Pure: the api layer hands
 * in what it read from the request, this decides the events.
 */
export interface ObservedResponse {
  method: string;
  /** The route pattern, e.g. `/api/products/:idOrSlug`; undefined for 404s that matched no route. */
  route: string | undefined;
  status: number;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  /** The `Location` header of the answer (checkout's 202 names the order there). */
  location?: string;
  /**
   * The caller reports page and product views itself (`x-view-tracking: client`): the storefront,
   * whose server reads products to render (and caches them for every shopper) while the shopper's
   * browser sends the view. Counting the read too would count each view twice.
   */
  viewsTrackedByClient?: boolean;
}

/** The request header a client sends when it reports page and product views itself. */
export const VIEW_TRACKING_HEADER = 'x-view-tracking';

export interface TrackedEvent {
  type: 'track' | 'page';
  event?: string;
  name?: string;
  properties: Record<string, unknown>;
  /** Page calls: the shopper-facing path, for `context.page.path`. */
  pagePath?: string;
  /** Checkout: the order id, so the order's later `Order Completed` has the same anonymous id. */
  orderId?: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value.slice(0, 200) : undefined);

/** Routes the tracking hook reacts to (method + pattern); the onRequest hook sets the anonymous-id cookie only on these. */
export const TRACKED_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/products/:idOrSlug',
  'GET /api/products',
  'POST /api/cart/items',
  'POST /api/checkout',
  'POST /api/auth/register',
]);

export function isTrackedRoute(method: string, route: string | undefined): boolean {
  return route !== undefined && TRACKED_ROUTES.has(`${method} ${route}`);
}

/** The events one answer produces; empty for everything not tracked (and for failures). */
export function eventsFor(r: ObservedResponse): TrackedEvent[] {
  const ok = r.status >= 200 && r.status < 300;
  switch (`${r.method} ${r.route}`) {
    case 'GET /api/products/:idOrSlug': {
      if (r.status !== 200 || r.viewsTrackedByClient) return [];
      const key = str(r.params.idOrSlug) ?? '';
      const product = UUID.test(key) ? { product_id: key } : { slug: key };
      return [
        { type: 'page', name: 'Product', properties: { ...product, path: `/products/${key}` }, pagePath: `/products/${key}` },
        { type: 'track', event: 'Product Viewed', properties: product },
      ];
    }
    case 'GET /api/products': {
      const query = str(r.query.q);
      return r.status === 200 && query ? [{ type: 'track', event: 'Products Searched', properties: { query } }] : [];
    }
    case 'POST /api/cart/items': {
      if (!ok) return [];
      const body = (r.body ?? {}) as { variantId?: unknown; quantity?: unknown };
      return [{ type: 'track', event: 'Product Added', properties: { variant: str(body.variantId), quantity: typeof body.quantity === 'number' ? body.quantity : 1 } }];
    }
    case 'POST /api/checkout': {
      if (r.status !== 202) return [];
      const orderId = r.location ? UUID.exec(r.location)?.[0] : undefined;
      return [{ type: 'track', event: 'Checkout Started', properties: orderId ? { order_id: orderId } : {}, ...(orderId ? { orderId } : {}) }];
    }
    case 'POST /api/auth/register':
      return r.status === 202 ? [{ type: 'track', event: 'Signed Up', properties: {} }] : [];
    default:
      return [];
  }
}
