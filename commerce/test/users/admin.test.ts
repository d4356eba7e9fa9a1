import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { BOOT_TIMEOUT_MS, closeDatabase, startUsersApp, uniqueEmail, type UsersTestApp } from './support/users-test-app.ts';
import { PASSWORD, asBearer, asBrowser, logIn, register } from './support/users-client.ts';

const ADMIN_PASSWORD = 'an admin password';

describe.each(databaseEngines())('admin and roles on $name', ({ open, skip }) => {
  let database: TestDatabase;
  let app: UsersTestApp;
  const adminEmail = uniqueEmail('admin');

  beforeAll(async () => {
    if (skip) return;
    database = await open();
    app = await startUsersApp({ db: database.db, config: { initialAdmin: { email: adminEmail.toUpperCase(), password: ADMIN_PASSWORD } } });
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await app?.close();
    if (database) await closeDatabase(database);
  });

  const adminRows = async (email: string) =>
    (await database.db.query<{ id: string; role: string }>('select id, role from users.users where email = $1', [email])).rows;

  it.skipIf(skip)('creates the initial admin at start, who can sign in and reach admin routes', async () => {
    const admin = await logIn(app.server, adminEmail, ADMIN_PASSWORD);
    expect(admin.user.role).toBe('admin');
    expect((await asBearer(app.server, admin, 'GET', '/api/admin/users')).statusCode).toBe(200);
  });

  it.skipIf(skip)('is idempotent across restarts and instances starting together', async () => {
    const before = await adminRows(adminEmail);
    expect(before).toHaveLength(1);
    const instances = await Promise.all(
      [1, 2, 3].map(() => startUsersApp({ db: database.db, config: { initialAdmin: { email: adminEmail, password: ADMIN_PASSWORD } } })),
    );
    await Promise.all(instances.map((i) => i.close()));
    expect(await adminRows(adminEmail)).toEqual(before);
  });

  it.skipIf(skip)('promotes an existing customer without changing their password', async () => {
    const email = uniqueEmail('promoted');
    const customer = await register(app.server, email);
    expect((await asBearer(app.server, customer, 'GET', '/api/admin/users')).statusCode).toBe(403);
    const other = await startUsersApp({ db: database.db, config: { initialAdmin: { email, password: 'a different password' } } });
    await other.close();
    expect(await adminRows(email)).toEqual([{ id: customer.user.id, role: 'admin' }]);
    // the role is read per request, so the existing session is now an admin session
    expect((await asBearer(app.server, customer, 'GET', '/api/admin/users')).statusCode).toBe(200);
    await logIn(app.server, email, PASSWORD);
  });

  it.skipIf(skip)('refuses customers on every admin route with 403, and anonymous callers with 401', async () => {
    const customer = await register(app.server, uniqueEmail());
    for (const url of ['/api/admin/users', `/api/admin/users/${customer.user.id}`]) {
      const viaBearer = await asBearer(app.server, customer, 'GET', url);
      expect(viaBearer.statusCode).toBe(403);
      expect(viaBearer.json().message).toContain('Admins only');
      expect((await asBrowser(app.server, customer, 'GET', url)).statusCode).toBe(403);
      expect((await app.server.inject({ method: 'GET', url })).statusCode).toBe(401);
    }
  });

  it.skipIf(skip)('pages through users oldest first and reads one user; unknown id is 404', async () => {
    const admin = await logIn(app.server, adminEmail, ADMIN_PASSWORD);
    for (let i = 0; i < 3; i++) await register(app.server, uniqueEmail(`page${i}`));
    const all = (await asBearer(app.server, admin, 'GET', '/api/admin/users?limit=100')).json();
    expect(all.total).toBe(all.users.length);
    expect(all.total).toBeGreaterThanOrEqual(4);

    const first = (await asBearer(app.server, admin, 'GET', '/api/admin/users?limit=2&offset=0')).json();
    const second = (await asBearer(app.server, admin, 'GET', '/api/admin/users?limit=2&offset=2')).json();
    expect(first).toMatchObject({ limit: 2, offset: 0, total: all.total });
    expect([...first.users, ...second.users]).toEqual(all.users.slice(0, 4));
    expect(JSON.stringify(all)).not.toContain('scrypt');

    const one = all.users[1];
    expect((await asBearer(app.server, admin, 'GET', `/api/admin/users/${one.id}`)).json()).toEqual(one);
    const missing = await asBearer(app.server, admin, 'GET', `/api/admin/users/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('USERS.USER_NOT_FOUND');
  });

  it.skipIf(skip).each([
    ['limit=0', 'querystring.limit'],
    ['limit=101', 'querystring.limit'],
    ['offset=-1', 'querystring.offset'],
    ['limit=abc', 'querystring.limit'],
  ])('GET /api/admin/users?%s answers 400 naming %s', async (query, field) => {
    const admin = await logIn(app.server, adminEmail, ADMIN_PASSWORD);
    const response = await asBearer(app.server, admin, 'GET', `/api/admin/users?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(field);
  });

  it.skipIf(skip)('GET /api/admin/users/:id with a non-UUID answers 400 naming params.id', async () => {
    const admin = await logIn(app.server, adminEmail, ADMIN_PASSWORD);
    const response = await asBearer(app.server, admin, 'GET', '/api/admin/users/nope');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain('params.id');
  });
});
