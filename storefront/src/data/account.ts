import type { paths } from '@shop/sdk';
import { ApiError, expectOk, type Shopper } from './shopper.ts';

export type Me = paths['/api/me']['get']['responses'][200]['content']['application/json'];
export type Address = paths['/api/me/addresses']['get']['responses'][200]['content']['application/json'][number];
export type NewAddress = paths['/api/me/addresses']['post']['requestBody']['content']['application/json'];

/** Signs in; the API sets the session cookies and merges the guest cart the cart cookie names. */
export function signIn(shopper: Shopper, email: string, password: string) {
  return expectOk(shopper, shopper.client.POST('/api/auth/login', { body: { email, password }, headers: shopper.headers() }));
}

export function register(shopper: Shopper, email: string, password: string) {
  return expectOk(shopper, shopper.client.POST('/api/auth/register', { body: { email, password }, headers: shopper.headers() }));
}

export function signOut(shopper: Shopper) {
  return expectOk(shopper, shopper.client.POST('/api/auth/logout', { headers: shopper.headers(true) }));
}

/** The signed-in customer, or `null` for a guest or an expired session. */
export async function getMe(shopper: Shopper): Promise<Me | null> {
  if (!shopper.signedIn) return null;
  try {
    return await expectOk(shopper, shopper.client.GET('/api/me', { headers: shopper.headers() }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export async function listAddresses(shopper: Shopper): Promise<Address[]> {
  return expectOk(shopper, shopper.client.GET('/api/me/addresses', { headers: shopper.headers() }));
}

export function addAddress(shopper: Shopper, address: NewAddress) {
  return expectOk(shopper, shopper.client.POST('/api/me/addresses', { body: address, headers: shopper.headers(true) }));
}

export function deleteAddress(shopper: Shopper, id: string) {
  return expectOk(shopper, shopper.client.DELETE('/api/me/addresses/{id}', { params: { path: { id } }, headers: shopper.headers(true) }));
}
