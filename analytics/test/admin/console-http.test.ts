import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../collector/support/test-app.ts';
import { signIn } from './console-fixture.ts';

let t: TestApp;
afterEach(() => t.cleanup());

/** The text of the element with this id (tags stripped), or undefined. */
const textOf = (page: string, id: string) => {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(page);
  return m?.[1]?.replace(/<[^>]+>/g, '').trim();
};

describe('the analytics console over HTTP', () => {
  it('is off without an admin token, and asks for the token when signed out', async () => {
    t = await startTestApp({ env: { ANALYTICS_ADMIN_TOKEN: '' } });
    const off = await t.app.server.inject({ method: 'GET', url: '/console' });
    expect(off.statusCode).toBe(403);
    expect(off.body).toContain('ANALYTICS_ADMIN_TOKEN');
  });

  it('signs in with the token in a POST body only, into an HttpOnly SameSite=Strict session cookie', async () => {
    t = await startTestApp();
    const page = await t.app.server.inject({ method: 'GET', url: '/console' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post" action="/console/sign-in"');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/<script/);

    const form = (token: string) => ({ method: 'POST' as const, url: '/console/sign-in', payload: `token=${encodeURIComponent(token)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const wrong = await t.app.server.inject(form('not-the-token-at-all'));
    expect(wrong.statusCode).toBe(401);
    expect(textOf(wrong.body, 'f-token-error')).toBe('That is not the admin token.');
    expect(wrong.body).toContain('aria-invalid="true"');
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const right = await t.app.server.inject(form(ADMIN_TOKEN));
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/console');
    const cookie = String(right.headers['set-cookie']);
    expect(cookie).toMatch(/^analytics_console=\d{13}\.[\w-]{24}\.[\w-]{43}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
  });

  it('refuses forged, tampered and expired sessions, and posts without the form token or from another site', async () => {
    t = await startTestApp();
    const c = await signIn(t);
    const csrf = await c.csrf();
    const newTenant = { id: 'acme', name: 'Acme', timeZone: 'UTC' };

    expect((await c.post('/console/tenants', newTenant)).status).toBe(403);
    expect((await c.post('/console/tenants', { ...newTenant, _csrf: `${csrf.slice(0, -2)}xx` })).status).toBe(403);
    const crossSite = await c.post('/console/tenants', { ...newTenant, _csrf: csrf }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const otherOrigin = await c.post('/console/tenants', { ...newTenant, _csrf: csrf }, { origin: 'https://evil.example' });
    expect(otherOrigin.status).toBe(403);
    expect((await c.post('/console/tenants', { ...newTenant, _csrf: csrf }, { origin: 'not a url' })).status).toBe(403);
    const crossSignIn = await t.app.server.inject({
      method: 'POST',
      url: '/console/sign-in',
      payload: `token=${ADMIN_TOKEN}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    });
    expect([crossSignIn.statusCode, crossSignIn.headers['set-cookie']]).toEqual([403, undefined]);
    expect((await t.app.tenants.getTenant('acme')).ok).toBe(false);

    const tampered = c.cookie.replace(/\.(\w)/, (_, ch: string) => `.${ch === 'A' ? 'B' : 'A'}`);
    const asTampered = await t.app.server.inject({ method: 'GET', url: '/console/tenants/new', headers: { cookie: tampered } });
    expect([asTampered.statusCode, asTampered.headers.location]).toEqual([303, '/console']);

    t.advance(8 * 3_600_000 + 1000);
    expect((await c.get('/console/tenants/new')).status).toBe(303);
    const late = await c.post('/console/tenants', { ...newTenant, _csrf: csrf });
    expect(textOf(late.body, 'f-token-error')).toMatch(/^Your session has ended/);
  });

  it("creates a tenant, shows the API's field errors next to their fields, and keeps what was typed", async () => {
    t = await startTestApp();
    const c = await signIn(t);
    const _csrf = await c.csrf();
    const refused = await c.post('/console/tenants', { _csrf, id: 'acme', name: 'Acme', timeZone: 'Mars/Olympus_Mons', dailyQuota: 'lots', rateLimitPerSecond: '', maxEventAgeDays: '0' });
    expect(refused.status).toBe(400);
    // Schema checks first (the API answers them together), then the time zone.
    expect(textOf(refused.body, 'f-dailyQuota-error')).toMatch(/number/i);
    expect(textOf(refused.body, 'f-maxEventAgeDays-error')).toMatch(/>=?\s*1|too small|greater/i);
    expect(refused.body).toContain('value="Mars/Olympus_Mons"');
    expect(refused.body).toContain('aria-describedby="f-dailyQuota-hint f-dailyQuota-error"');

    const badZone = await c.post('/console/tenants', { _csrf, id: 'acme', name: 'Acme', timeZone: 'Mars/Olympus_Mons' });
    expect(textOf(badZone.body, 'f-timeZone-error')).toMatch(/IANA/);
    const badId = await c.post('/console/tenants', { _csrf, id: 'Acme Shop', name: 'Acme', timeZone: 'UTC' });
    expect(textOf(badId.body, 'f-id-error')).toMatch(/lowercase/);

    const created = await c.post('/console/tenants', { _csrf, id: 'acme', name: 'Acme', timeZone: 'Asia/Kolkata', dailyQuota: '500', rateLimitPerSecond: '', maxEventAgeDays: '400' });
    expect([created.status, created.headers.location]).toEqual([303, '/console/tenants/acme?done=created']);
    const tenant = await t.app.tenants.getTenant('acme');
    expect(tenant.ok && tenant.value).toMatchObject({ timeZone: 'Asia/Kolkata', dailyQuota: 500, rateLimitPerSecond: 1000, maxEventAgeDays: 400 });
    const again = await c.post('/console/tenants', { _csrf, id: 'acme', name: 'Acme', timeZone: 'UTC' });
    expect(textOf(again.body, 'f-id-error')).toMatch(/already exists/);

    const page = await c.get('/console/tenants/acme?done=created');
    expect(page.body).toContain('Tenant created.');
    expect(textOf(page.body, 'time-zone')).toBe('Asia/Kolkata');
    expect(textOf(page.body, 'used-today')).toBe('0');
  });

  it('shows a new key once, never again, and revokes a key only after asking', async () => {
    t = await startTestApp();
    await t.tenantWithKey({ id: 'acme' });
    const c = await signIn(t);
    const _csrf = await c.csrf();
    const made = await c.post('/console/tenants/acme/keys', { _csrf, kind: 'read', label: 'dashboard' });
    expect(made.status).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const plain = /id="plain-key"[^>]*value="(rk_[\w-]+)"/.exec(made.body)?.[1];
    expect(plain).toBeDefined();
    expect((await t.app.tenants.authenticate(plain!, 'read')).ok).toBe(true);
    const page = await c.get('/console/tenants/acme');
    expect(page.body).not.toContain(plain!);
    expect(page.body).toContain(`${plain!.slice(0, 7)}...`);

    const badKind = await c.post('/console/tenants/acme/keys', { _csrf, kind: 'admin' });
    expect(badKind.status).toBe(400);
    expect(badKind.body).toMatch(/role="alert"[\s\S]*kind/);

    const keyId = /href="\/console\/tenants\/acme\/keys\/(key_[0-9a-f]{16})\/revoke"/.exec(page.body)?.[1];
    const confirm = await c.get(`/console/tenants/acme/keys/${keyId}/revoke`);
    expect(confirm.body).toContain('cannot be restored');
    expect(confirm.body).toContain(`action="/console/tenants/acme/keys/${keyId}/revoke"`);
    const keysBefore = await t.app.tenants.listKeys('acme');
    expect(keysBefore.ok && keysBefore.value.every((k) => !k.revokedAt)).toBe(true);
    const revoked = await c.post(`/console/tenants/acme/keys/${keyId}/revoke`, { _csrf });
    expect([revoked.status, revoked.headers.location]).toEqual([303, '/console/tenants/acme?done=revoked']);
    const keysAfter = await t.app.tenants.listKeys('acme');
    expect(keysAfter.ok && keysAfter.value.filter((k) => k.revokedAt).map((k) => k.id)).toEqual([keyId]);
    expect((await c.get('/console/tenants/acme/keys/key_0123456789abcdef/revoke')).status).toBe(404);
    expect((await c.get('/console/tenants/nope')).status).toBe(404);
  });

  it('lists tenants a page at a time, filtered on the server', async () => {
    t = await startTestApp();
    for (let i = 0; i < 120; i++) {
      const id = `t${String(i).padStart(3, '0')}`;
      await t.app.tenants.createTenant({ id, name: i % 10 === 0 ? `Round ${id}` : `Shop ${id}`, timeZone: 'UTC' });
    }
    const c = await signIn(t);
    const rows = (body: string) => [...body.matchAll(/data-tenant="([^"]+)"/g)].map((m) => m[1]);
    const first = await c.get('/console');
    expect(rows(first.body)).toHaveLength(50);
    expect(rows(first.body)[0]).toBe('t000');
    const next = /href="(\/console\?after=t049)" rel="next"/.exec(first.body)?.[1];
    expect(next).toBeDefined();
    const second = await c.get(next!);
    expect(rows(second.body)[0]).toBe('t050');
    expect(second.body).toContain('First page');
    const third = await c.get('/console?after=t099');
    expect(rows(third.body)).toHaveLength(20);
    expect(third.body).not.toContain('rel="next"');

    const round = await c.get('/console?q=round');
    expect(rows(round.body)).toEqual(['t000', 't010', 't020', 't030', 't040', 't050', 't060', 't070', 't080', 't090', 't100', 't110']);
    expect(round.body).toContain('value="round"');
    expect((await c.get('/console?q=nothing-like-it')).body).toContain('No tenant matches “nothing-like-it”.');
    const tooLong = await c.get(`/console?q=${'x'.repeat(101)}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatch(/role="alert"[\s\S]*q/);
  });

  it('files an erasure after a confirmation naming the ids, and follows it', async () => {
    t = await startTestApp();
    await t.tenantWithKey({ id: 'acme' });
    const c = await signIn(t);
    const _csrf = await c.csrf();
    const empty = await c.post('/console/tenants/acme/erasures', { _csrf, userId: '', anonymousIds: '' });
    expect(textOf(empty.body, 'f-userId-error')).toMatch(/^Name the person/);
    const tooLong = await c.post('/console/tenants/acme/erasures', { _csrf, userId: 'x'.repeat(201), confirmed: 'yes' });
    expect(textOf(tooLong.body, 'f-userId-error')).toMatch(/200/);

    const confirm = await c.post('/console/tenants/acme/erasures', { _csrf, userId: 'user-42', anonymousIds: 'anon-1\nanon-2' });
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain('This cannot be undone');
    expect(confirm.body).toContain('<code>anon-2</code>');
    expect(confirm.body).toContain('name="confirmed" value="yes"');
    const filed = await c.post('/console/tenants/acme/erasures', { _csrf, userId: 'user-42', anonymousIds: 'anon-1\nanon-2', confirmed: 'yes' });
    expect(filed.status).toBe(303);
    const location = String(filed.headers.location);
    expect(location).toMatch(/^\/console\/tenants\/acme\/erasures\/er-[0-9a-f]{24}$/);
    const followed = await c.get(location);
    expect(textOf(followed.body, 'erasure-status')).toMatch(/^(pending|done)$/);
    expect((await c.get('/console/tenants/acme')).body).toContain(location);
  });
});
