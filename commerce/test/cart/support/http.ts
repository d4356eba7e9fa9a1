import type { HttpServer } from '@shop/platform';
import type { CartView } from '../../../src/modules/cart/index.ts';

export interface CallOptions {
  /** Guest token sent as the cart_token cookie. */
  cookie?: string;
  /** Guest token sent as the x-cart-token header. */
  token?: string;
  /** Signed-in user (test authenticator). */
  user?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request through `inject`, with the JSON body parsed. */
export async function call(server: HttpServer, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['x-cart-token'] = options.token;
  if (options.user) headers['x-test-user'] = options.user;
  const response = await server.inject({
    method,
    url,
    headers,
    ...(options.cookie ? { cookies: { cart_token: options.cookie } } : {}),
    ...(options.body === undefined ? {} : { payload: options.body as Record<string, unknown> }),
  });
  const json = response.body ? (JSON.parse(response.body) as Record<string, unknown>) : {};
  return { status: response.statusCode, json, cart: json as unknown as CartView, response };
}
