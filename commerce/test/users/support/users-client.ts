import type { HttpServer } from '@shop/platform';
import type { SignedInDto } from '../../../src/modules/users/index.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const PASSWORD = 'correct horse battery';

/** A signed-in caller: the body of the sign-in answer plus the cookies the server set. */
export interface SignedIn extends SignedInDto {
  cookies: Record<string, string>;
}

export function cookiesOf(response: { cookies: { name: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries(response.cookies.map((c) => [c.name, c.value]));
}

export async function register(server: HttpServer, email: string, password = PASSWORD): Promise<SignedIn> {
  const response = await server.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password } });
  if (response.statusCode !== 202) throw new Error(`register ${email}: ${response.statusCode} ${response.body}`);
  // Registering never signs in (its answer must not differ for an existing email): the new customer logs in.
  return logIn(server, email, password);
}

export async function logIn(server: HttpServer, email: string, password = PASSWORD): Promise<SignedIn> {
  const response = await server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (response.statusCode !== 200) throw new Error(`login ${email}: ${response.statusCode} ${response.body}`);
  return { ...(response.json() as SignedInDto), cookies: cookiesOf(response) };
}

/** As a mobile client: bearer token, no cookies, no CSRF header. */
export function asBearer(server: HttpServer, who: { token: string }, method: Method, url: string, payload?: object) {
  return server.inject({ method, url, headers: { authorization: `Bearer ${who.token}` }, ...(payload ? { payload } : {}) });
}

/** As a browser: the session cookies, and the CSRF header the page's script would add. */
export function asBrowser(
  server: HttpServer,
  who: { token: string; csrfToken: string },
  method: Method,
  url: string,
  payload?: object,
  csrf: string | null = who.csrfToken,
) {
  return server.inject({
    method,
    url,
    cookies: { sid: who.token, csrf_token: who.csrfToken },
    headers: csrf === null ? {} : { 'x-csrf-token': csrf },
    ...(payload ? { payload } : {}),
  });
}
