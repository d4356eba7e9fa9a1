import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { BOOT_TIMEOUT_MS, closeDatabase, startUsersApp, uniqueEmail, type UsersTestApp } from './support/users-test-app.ts';
import { PASSWORD, asBearer, asBrowser, cookiesOf, logIn, register } from './support/users-client.ts';

const ADDRESS = { name: 'Ann', line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };

// One database and server per engine (PGlite takes seconds to boot on a busy machine); tests use their own emails.
describe.each(databaseEngines())('users sign-in and sessions on $name', ({ open, skip }) => {
  let database: TestDatabase;
  let app: UsersTestApp;
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const signedIn: string[] = [];

  beforeAll(async () => {
    if (skip) return;
    database = await open();
    app = await startUsersApp({
      db: database.db,
      now: () => new Date(clock),
      onSignedIn: async ({ userId }) => void signedIn.push(userId),
    });
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await app?.close();
    if (database) await closeDatabase(database);
  });

  it.skipIf(skip)('registers with a normalised email; signing in sets httpOnly sid and device cookies and a readable csrf_token', async () => {
    const email = uniqueEmail('ann');
    const registered = await app.server.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: `  ${email.toUpperCase()}`, password: PASSWORD },
    });
    expect(registered.statusCode, registered.body).toBe(202);
    expect(registered.cookies).toEqual([]);
    const response = await app.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.user).toMatchObject({ email, role: 'customer' });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.expiresAt).toBe(new Date(clock + 2 * 3_600_000).toISOString());

    const sid = response.cookies.find((c) => c.name === 'sid');
    const csrf = response.cookies.find((c) => c.name === 'csrf_token');
    expect(sid).toMatchObject({ value: body.token, httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(sid?.secure).toBeFalsy();
    expect(csrf).toMatchObject({ value: body.csrfToken, sameSite: 'Lax', path: '/' });
    expect(csrf?.httpOnly).toBeFalsy();
    expect(response.cookies.find((c) => c.name === 'device')).toMatchObject({ value: body.deviceToken, httpOnly: true, path: '/api/auth' });
    expect(signedIn).toContain(body.user.id);
  });

  it.skipIf(skip)('marks the cookies Secure when cookieSecure is set', async () => {
    const secure = await startUsersApp({ db: database.db, config: { cookieSecure: true } });
    try {
      const email = uniqueEmail();
      await secure.server.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: PASSWORD } });
      const response = await secure.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
      expect(response.cookies.map((c) => [c.name, c.secure])).toEqual([
        ['sid', true],
        ['csrf_token', true],
        ['device', true],
      ]);
    } finally {
      await secure.close();
    }
  });

  it.skipIf(skip)('stores only digests of session tokens and a salted scrypt hash of the password', async () => {
    const ann = await register(app.server, uniqueEmail());
    const { rows: sessions } = await database.db.query<{ token_hash: string; csrf_hash: string }>(
      'select token_hash, csrf_hash from users.sessions where user_id = $1',
      [ann.user.id],
    );
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(sessions)).not.toContain(ann.token);
    expect(JSON.stringify(sessions)).not.toContain(ann.csrfToken);
    const { rows: users } = await database.db.query<{ password_hash: string }>('select password_hash from users.users where id = $1', [
      ann.user.id,
    ]);
    expect(users[0]?.password_hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(users[0]?.password_hash).not.toContain(PASSWORD);
  });

  it.skipIf(skip)('answers GET /api/me with a cookie and with a bearer token, and 401 without either', async () => {
    const email = uniqueEmail();
    const ann = await register(app.server, email);
    const viaCookie = await asBrowser(app.server, ann, 'GET', '/api/me', undefined, null);
    expect(viaCookie.statusCode).toBe(200);
    expect(viaCookie.json()).toMatchObject({ id: ann.user.id, email });
    const viaBearer = await asBearer(app.server, ann, 'GET', '/api/me');
    expect(viaBearer.statusCode).toBe(200);
    expect(viaBearer.json().id).toBe(ann.user.id);

    expect((await app.server.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const forged = await app.server.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${'x'.repeat(43)}` } });
    expect(forged.statusCode).toBe(401);
  });

  it.skipIf(skip)('logs in with the email in any case and calls onSignedIn; each sign-in is its own session', async () => {
    const email = uniqueEmail();
    const ann = await register(app.server, email);
    const again = await logIn(app.server, email.toUpperCase());
    expect(again.user.id).toBe(ann.user.id);
    expect(again.token).not.toBe(ann.token);
    expect(again.cookies.sid).toBe(again.token);
    expect(signedIn.filter((id) => id === ann.user.id)).toHaveLength(2);
  });

  it.skipIf(skip)('gives the same 401 USERS.INVALID_CREDENTIALS for an unknown email and a wrong password', async () => {
    const email = uniqueEmail();
    await register(app.server, email);
    const wrong = await app.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: 'not the password' } });
    const unknown = await app.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email: uniqueEmail(), password: PASSWORD } });
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toBe('USERS.INVALID_CREDENTIALS');
    }
    expect(wrong.json().message).toBe(unknown.json().message);
    expect(wrong.cookies).toEqual([]);
  });

  it.skipIf(skip)('answers a registration of an existing email exactly as a new one, keeps the account, and tells its owner', async () => {
    const existing = uniqueEmail();
    const ann = await register(app.server, existing);
    const fresh = await app.server.inject({ method: 'POST', url: '/api/auth/register', payload: { email: uniqueEmail(), password: 'another password' } });
    const again = await app.server.inject({ method: 'POST', url: '/api/auth/register', payload: { email: existing.toUpperCase(), password: 'another password' } });
    expect(again.statusCode).toBe(fresh.statusCode);
    expect(again.body).toBe(fresh.body);
    expect(again.headers['set-cookie']).toEqual(fresh.headers['set-cookie']);

    // Nothing changed: the owner's password still works, the attempted one does not.
    expect((await logIn(app.server, existing)).user.id).toBe(ann.user.id);
    const attempted = await app.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email: existing, password: 'another password' } });
    expect(attempted.statusCode).toBe(401);

    const { rows } = await database.db.query<{ payload: { userId: string; email: string } }>(
      `select payload from events.outbox where type = 'users.existing_account_registration_attempted.v1' and payload->>'userId' = $1`,
      [ann.user.id],
    );
    expect(rows.map((r) => r.payload)).toEqual([{ userId: ann.user.id, email: existing }]);
  });

  it.skipIf(skip)('creates exactly one account from several concurrent registrations of one email', async () => {
    const email = uniqueEmail();
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => app.server.inject({ method: 'POST', url: '/api/auth/register', payload: { email, password: PASSWORD } })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([202, 202, 202, 202]);
    const { rows } = await database.db.query<{ n: number }>('select count(*)::int as n from users.users where email = $1', [email]);
    expect(rows[0]?.n).toBe(1);
    const notices = await database.db.query<{ n: number }>(
      `select count(*)::int as n from events.outbox where type = 'users.existing_account_registration_attempted.v1' and payload->>'email' = $1`,
      [email],
    );
    expect(notices.rows[0]?.n).toBe(3);
  });

  it.skipIf(skip)('accepts passwords by length and the common-password list, not by composition', async () => {
    const attempt = (password: string) =>
      app.server.inject({ method: 'POST', url: '/api/auth/register', payload: { email: uniqueEmail(), password } });
    for (const common of ['password', 'Password1', '12345678', 'iloveyou', 'qwertyuiop', 'sunshine']) {
      const refused = await attempt(common);
      expect(refused.statusCode, common).toBe(400);
      expect(refused.json()).toMatchObject({ error: 'USERS.WEAK_PASSWORD' });
      expect(refused.json().message).toMatch(/most common passwords/);
    }
    expect((await attempt('short7!')).json().message).toMatch(/body.password: .*8 characters/);
    // Eight characters without digits, capitals or symbols are fine when they are not a known password.
    for (const fine of ['zebracup', 'blue kettle tuesday', 'paßwörter-ü']) expect((await attempt(fine)).statusCode, fine).toBe(202);
  });

  describe('CSRF on cookie sessions', () => {
    it.skipIf(skip)('refuses an unsafe cookie request without x-csrf-token with 403 naming the header', async () => {
      const ann = await register(app.server, uniqueEmail());
      const response = await asBrowser(app.server, ann, 'POST', '/api/auth/logout', undefined, null);
      expect(response.statusCode).toBe(403);
      expect(response.json().error).toBe('USERS.CSRF_TOKEN_MISSING');
      expect(response.json().message).toContain('x-csrf-token');
      // the refused request changed nothing: still signed in
      expect((await asBearer(app.server, ann, 'GET', '/api/me')).statusCode).toBe(200);
    });

    it.skipIf(skip)('refuses a wrong x-csrf-token, including the CSRF token of another session', async () => {
      const ann = await register(app.server, uniqueEmail());
      const bob = await register(app.server, uniqueEmail());
      for (const csrf of ['wrong', bob.csrfToken]) {
        const response = await asBrowser(app.server, ann, 'POST', '/api/me/addresses', ADDRESS, csrf);
        expect(response.statusCode).toBe(403);
        expect(response.json().error).toBe('USERS.CSRF_TOKEN_INVALID');
      }
      expect((await asBearer(app.server, ann, 'GET', '/api/me/addresses')).json()).toEqual([]);
    });

    it.skipIf(skip)('accepts an unsafe cookie request that carries the session CSRF token', async () => {
      const ann = await register(app.server, uniqueEmail());
      const created = await asBrowser(app.server, ann, 'POST', '/api/me/addresses', ADDRESS);
      expect(created.statusCode).toBe(201);
      expect((await asBrowser(app.server, ann, 'POST', '/api/auth/logout')).statusCode).toBe(204);
    });

    it.skipIf(skip)('needs no CSRF token for safe methods on cookies, nor for bearer tokens on any method', async () => {
      const ann = await register(app.server, uniqueEmail());
      expect((await asBrowser(app.server, ann, 'GET', '/api/me/addresses', undefined, null)).statusCode).toBe(200);
      expect((await asBearer(app.server, ann, 'POST', '/api/me/addresses', ADDRESS)).statusCode).toBe(201);
      expect((await asBearer(app.server, ann, 'POST', '/api/auth/logout')).statusCode).toBe(204);
    });

    it.skipIf(skip)('does not let an invalid bearer header fall back to the session cookie', async () => {
      const ann = await register(app.server, uniqueEmail());
      const response = await app.server.inject({
        method: 'GET',
        url: '/api/me',
        cookies: { sid: ann.token },
        headers: { authorization: 'Bearer not-a-real-token-at-all-000000' },
      });
      expect(response.statusCode).toBe(401);
    });
  });

  it.skipIf(skip)('logout revokes the session server-side and clears the cookies, leaving other sessions alone', async () => {
    const email = uniqueEmail();
    const ann = await register(app.server, email);
    const other = await logIn(app.server, email);
    const response = await asBrowser(app.server, ann, 'POST', '/api/auth/logout');
    expect(response.statusCode).toBe(204);
    expect(cookiesOf(response)).toEqual({ sid: '', csrf_token: '' });
    // a client that kept a copy of the token gets nowhere through either channel
    expect((await asBearer(app.server, ann, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await asBrowser(app.server, ann, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await asBearer(app.server, other, 'GET', '/api/me')).statusCode).toBe(200);
  });

  it.skipIf(skip)('expires a session after sessionTtlHours', async () => {
    const ann = await register(app.server, uniqueEmail());
    clock += 2 * 3_600_000 - 1000;
    expect((await asBearer(app.server, ann, 'GET', '/api/me')).statusCode).toBe(200);
    clock += 1000;
    expect((await asBearer(app.server, ann, 'GET', '/api/me')).statusCode).toBe(401);
    expect((await asBrowser(app.server, ann, 'GET', '/api/me')).statusCode).toBe(401);
  });

  describe('change password', () => {
    it.skipIf(skip)('requires the current password, then revokes every other session but keeps this one', async () => {
      const email = uniqueEmail();
      const ann = await register(app.server, email);
      const phone = await logIn(app.server, email);
      const laptop = await logIn(app.server, email);

      const wrong = await asBearer(app.server, ann, 'PUT', '/api/me/password', { currentPassword: 'not it at all', newPassword: 'a brand new secret' });
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().error).toBe('USERS.WRONG_CURRENT_PASSWORD');
      expect((await asBearer(app.server, phone, 'GET', '/api/me')).statusCode).toBe(200);

      const changed = await asBrowser(app.server, ann, 'PUT', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new secret' });
      expect(changed.statusCode, changed.body).toBe(204);
      expect((await asBearer(app.server, ann, 'GET', '/api/me')).statusCode).toBe(200);
      expect((await asBearer(app.server, phone, 'GET', '/api/me')).statusCode).toBe(401);
      expect((await asBearer(app.server, laptop, 'GET', '/api/me')).statusCode).toBe(401);

      const oldPassword = await app.server.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: PASSWORD } });
      expect(oldPassword.statusCode).toBe(401);
      await logIn(app.server, email, 'a brand new secret');
    });

    it.skipIf(skip)('needs the CSRF token on a cookie session', async () => {
      const email = uniqueEmail();
      const ann = await register(app.server, email);
      const response = await asBrowser(app.server, ann, 'PUT', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'a brand new secret' }, null);
      expect(response.statusCode).toBe(403);
      await logIn(app.server, email);
    });
  });

  it.skipIf(skip)('a failing onSignedIn hook is logged and does not fail the sign-in', async () => {
    const failing = await startUsersApp({
      db: database.db,
      onSignedIn: async () => {
        throw new Error('cart is down');
      },
    });
    try {
      const email = uniqueEmail();
      const ann = await register(failing.server, email);
      await logIn(failing.server, email);
      expect((await asBearer(failing.server, ann, 'GET', '/api/me')).statusCode).toBe(200);
      const failures = failing.logLines.filter((line) => line.msg === 'onSignedIn hook failed');
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatchObject({ level: 50, userId: ann.user.id, err: { message: 'cart is down' } });
    } finally {
      await failing.close();
    }
  });

  it.skipIf(skip)('upgrades a password hash made with older scrypt parameters at the next login', async () => {
    const email = uniqueEmail();
    const ann = await register(app.server, email);
    const stronger = await startUsersApp({ db: database.db, config: { passwordHashing: { logN: 11, r: 8, p: 1 } } });
    try {
      await logIn(stronger.server, email);
      const { rows } = await database.db.query<{ password_hash: string }>('select password_hash from users.users where id = $1', [
        ann.user.id,
      ]);
      expect(rows[0]?.password_hash).toMatch(/^\$scrypt\$ln=11,r=8,p=1\$/);
      await logIn(stronger.server, email);
    } finally {
      await stronger.close();
    }
  });

  describe('validation', () => {
    const cases: [string, object, string][] = [
      ['/api/auth/register', { email: 'not-an-email', password: PASSWORD }, 'body.email'],
      ['/api/auth/register', { email: 'ann@example.com', password: 'short' }, 'body.password'],
      ['/api/auth/register', { email: 'ann@example.com', password: 'x'.repeat(201) }, 'body.password'],
      ['/api/auth/register', { password: PASSWORD }, 'body.email'],
      ['/api/auth/login', { email: 'ann@example.com' }, 'body.password'],
      ['/api/auth/login', { email: 42, password: PASSWORD }, 'body.email'],
    ];
    it.skipIf(skip).each(cases)('POST %s with %j answers 400 naming %s', async (url, payload, field) => {
      const response = await app.server.inject({ method: 'POST', url, payload });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toContain(field);
    });

    it.skipIf(skip)('change password answers 400 naming body.newPassword when it is too short', async () => {
      const ann = await register(app.server, uniqueEmail());
      const response = await asBearer(app.server, ann, 'PUT', '/api/me/password', { currentPassword: PASSWORD, newPassword: 'short' });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toContain('body.newPassword');
    });
  });

  it.skipIf(skip)('documents every users route in OpenAPI, with the session and bearer schemes on signed-in ones', async () => {
    const response = await app.server.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = response.json().paths as Record<string, Record<string, { security?: unknown }>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining(['/api/auth/register', '/api/auth/login', '/api/auth/logout', '/api/me', '/api/me/password', '/api/me/addresses', '/api/me/addresses/{id}', '/api/admin/users', '/api/admin/users/{id}']),
    );
    expect(paths['/api/me']?.get?.security).toEqual([{ session: [] }, { bearer: [] }]);
  });

  it.skipIf(skip)('getUser on the public API returns the user, and null for unknown or malformed ids', async () => {
    const email = uniqueEmail();
    const ann = await register(app.server, email);
    expect(await app.module.api.getUser(ann.user.id)).toMatchObject({ id: ann.user.id, email, role: 'customer' });
    expect(await app.module.api.getUser(randomUUID())).toBeNull();
    expect(await app.module.api.getUser("1' or '1'='1")).toBeNull();
  });
});
