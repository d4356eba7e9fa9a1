import type { TestApp } from '../collector/support/test-app.ts';
import { ADMIN_TOKEN } from '../collector/support/test-app.ts';

export interface ConsoleClient {
  get(url: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }>;
  post(url: string, form: Record<string, string>, headers?: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }>;
  /** The form token of the signed-in session, read from a page as a browser would. */
  csrf(): Promise<string>;
}

/** A signed-in console user over `inject`: the session cookie from the sign-in form, forms posted url-encoded. */
export async function signIn(t: TestApp, token = ADMIN_TOKEN): Promise<ConsoleClient & { cookie: string }> {
  const res = await t.app.server.inject({ method: 'POST', url: '/console/sign-in', payload: new URLSearchParams({ token }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const setCookie = String(res.headers['set-cookie'] ?? '');
  const cookie = setCookie.split(';')[0]!;
  if (res.statusCode !== 303 || !cookie.startsWith('analytics_console=')) throw new Error(`sign-in answered ${res.statusCode}`);
  const answer = (r: { statusCode: number; body: string; headers: Record<string, unknown> }) => ({ status: r.statusCode, body: r.body, headers: r.headers });
  const client = {
    cookie,
    async get(url: string) {
      return answer(await t.app.server.inject({ method: 'GET', url, headers: { cookie } }));
    },
    async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
      return answer(
        await t.app.server.inject({
          method: 'POST',
          url,
          payload: new URLSearchParams(form).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers },
        }),
      );
    },
    async csrf() {
      const page = await client.get('/console/tenants/new');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      if (!token) throw new Error('no form token on the page');
      return token;
    },
  };
  return client;
}
