import type { ShopClient } from '@shop/sdk';
import { ApiVisitor, expectOk } from '@shop/web';

export { ApiError, expectOk, okOrNull } from '@shop/web';

/** The signed-in back-office user as `GET /api/me` answers: role and the permissions it grants. */
export interface Me {
  id: string;
  email: string;
  role: 'customer' | 'staff' | 'admin';
  permissions: string[];
}

/** One staff member's visit: the SDK instance plus the cookies of their browser (session, csrf). */
export class Staff extends ApiVisitor {
  constructor(
    readonly client: ShopClient,
    cookies: Record<string, string>,
    locale: string,
    forwardedFor: string,
  ) {
    super(cookies, locale, forwardedFor);
  }
}

/** Who is signed in, or null (no session, an expired one, or a customer's). */
export async function getMe(staff: Staff): Promise<Me | null> {
  if (!staff.signedIn) return null;
  const { data, response } = await staff.client.GET('/api/me', { headers: staff.headers() });
  staff.absorb(response);
  if (!response.ok || !data) return null;
  return data as Me;
}

export async function signIn(staff: Staff, email: string, password: string): Promise<Me> {
  const answer = await expectOk(staff, staff.client.POST('/api/auth/login', { body: { email, password }, headers: staff.headers() }));
  return answer.user as Me;
}

export async function signOut(staff: Staff): Promise<void> {
  const { response } = await staff.client.POST('/api/auth/logout', { headers: staff.headers(true) });
  staff.absorb(response);
}
