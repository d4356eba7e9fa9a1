import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { BOOT_TIMEOUT_MS, closeDatabase, startUsersApp, uniqueEmail, type UsersTestApp } from './support/users-test-app.ts';
import { asBearer, asBrowser, register, type SignedIn } from './support/users-client.ts';

const HOME = { name: 'Ann Lee', line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'fr' };
const WORK = {
  name: 'Ann Lee',
  line1: '10 Downing Street',
  line2: 'Floor 2',
  city: 'London',
  postalCode: 'SW1A 2AA',
  region: 'Greater London',
  country: 'GB',
  phone: '+44 20 7925 0918',
};

describe.each(databaseEngines())('saved addresses on $name', ({ open, skip }) => {
  let database: TestDatabase;
  let app: UsersTestApp;

  beforeAll(async () => {
    if (skip) return;
    database = await open();
    app = await startUsersApp({ db: database.db });
  }, BOOT_TIMEOUT_MS);
  afterAll(async () => {
    await app?.close();
    if (database) await closeDatabase(database);
  });

  it.skipIf(skip)('creates, reads, lists, updates and deletes an address', async () => {
    const ann = await register(app.server, uniqueEmail());
    const created = await asBearer(app.server, ann, 'POST', '/api/me/addresses', HOME);
    expect(created.statusCode, created.body).toBe(201);
    const home = created.json();
    expect(home).toMatchObject({ ...HOME, country: 'FR', line2: null, region: null, phone: null, isDefault: true });

    expect((await asBearer(app.server, ann, 'GET', `/api/me/addresses/${home.id}`)).json()).toEqual(home);

    const patched = await asBearer(app.server, ann, 'PATCH', `/api/me/addresses/${home.id}`, { line2: 'Apt 3', city: 'Lyon' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ line2: 'Apt 3', city: 'Lyon', line1: HOME.line1 });

    const cleared = await asBearer(app.server, ann, 'PATCH', `/api/me/addresses/${home.id}`, { line2: null });
    expect(cleared.json().line2).toBeNull();

    expect((await asBearer(app.server, ann, 'GET', '/api/me/addresses')).json().map((a: { id: string }) => a.id)).toEqual([home.id]);
    expect((await asBearer(app.server, ann, 'DELETE', `/api/me/addresses/${home.id}`)).statusCode).toBe(204);
    expect((await asBearer(app.server, ann, 'GET', `/api/me/addresses/${home.id}`)).statusCode).toBe(404);
    expect((await asBearer(app.server, ann, 'DELETE', `/api/me/addresses/${home.id}`)).statusCode).toBe(404);
  });

  it.skipIf(skip)('keeps exactly one default: the first address, then whichever is made default', async () => {
    const ann = await register(app.server, uniqueEmail());
    const home = (await asBearer(app.server, ann, 'POST', '/api/me/addresses', HOME)).json();
    const work = (await asBearer(app.server, ann, 'POST', '/api/me/addresses', WORK)).json();
    expect([home.isDefault, work.isDefault]).toEqual([true, false]);

    const promoted = await asBearer(app.server, ann, 'PATCH', `/api/me/addresses/${work.id}`, { isDefault: true });
    expect(promoted.json().isDefault).toBe(true);
    const list = (await asBearer(app.server, ann, 'GET', '/api/me/addresses')).json() as { id: string; isDefault: boolean }[];
    expect(list.map((a) => [a.id, a.isDefault])).toEqual([
      [work.id, true],
      [home.id, false],
    ]);

    const third = (await asBearer(app.server, ann, 'POST', '/api/me/addresses', { ...HOME, isDefault: true })).json();
    const after = (await asBearer(app.server, ann, 'GET', '/api/me/addresses')).json() as { id: string; isDefault: boolean }[];
    expect(after.filter((a) => a.isDefault).map((a) => a.id)).toEqual([third.id]);
  });

  it.skipIf(skip)('needs a signed-in caller', async () => {
    expect((await app.server.inject({ method: 'GET', url: '/api/me/addresses' })).statusCode).toBe(401);
    expect((await app.server.inject({ method: 'POST', url: '/api/me/addresses', payload: HOME })).statusCode).toBe(401);
  });

  describe('isolation between users', () => {
    let ann: SignedIn;
    let bob: SignedIn;
    let annsAddress: { id: string };

    beforeAll(async () => {
      if (skip) return;
      ann = await register(app.server, uniqueEmail('ann'));
      bob = await register(app.server, uniqueEmail('bob'));
      annsAddress = (await asBearer(app.server, ann, 'POST', '/api/me/addresses', HOME)).json();
    });

    const unchanged = async () => {
      const response = await asBearer(app.server, ann, 'GET', `/api/me/addresses/${annsAddress.id}`);
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ ...HOME, country: 'FR', isDefault: true });
    };

    it.skipIf(skip)("GET of another user's address is 404, as for a missing one", async () => {
      const response = await asBearer(app.server, bob, 'GET', `/api/me/addresses/${annsAddress.id}`);
      expect(response.statusCode).toBe(404);
      const missing = await asBearer(app.server, bob, 'GET', `/api/me/addresses/${randomUUID()}`);
      expect(missing.json().error).toBe(response.json().error);
    });

    it.skipIf(skip)("PATCH of another user's address is 404 and changes nothing, including the default flag", async () => {
      for (const patch of [{ city: 'Stolen' }, { isDefault: false }, { isDefault: true }]) {
        const viaBearer = await asBearer(app.server, bob, 'PATCH', `/api/me/addresses/${annsAddress.id}`, patch);
        expect(viaBearer.statusCode).toBe(404);
        const viaCookie = await asBrowser(app.server, bob, 'PATCH', `/api/me/addresses/${annsAddress.id}`, patch);
        expect(viaCookie.statusCode).toBe(404);
      }
      await unchanged();
    });

    it.skipIf(skip)("DELETE of another user's address is 404 and deletes nothing", async () => {
      expect((await asBearer(app.server, bob, 'DELETE', `/api/me/addresses/${annsAddress.id}`)).statusCode).toBe(404);
      expect((await asBrowser(app.server, bob, 'DELETE', `/api/me/addresses/${annsAddress.id}`)).statusCode).toBe(404);
      await unchanged();
    });

    it.skipIf(skip)("a list shows only the caller's addresses", async () => {
      expect((await asBearer(app.server, bob, 'GET', '/api/me/addresses')).json()).toEqual([]);
    });
  });

  describe('validation', () => {
    let ann: SignedIn;
    beforeAll(async () => {
      if (skip) return;
      ann = await register(app.server, uniqueEmail());
    });

    const createCases: [object, string][] = [
      [{ ...HOME, country: 'XX' }, 'body.country'],
      [{ ...HOME, country: 'FRA' }, 'body.country'],
      [{ ...HOME, name: '   ' }, 'body.name'],
      [{ ...HOME, line1: undefined }, 'body.line1'],
      [{ ...HOME, postalCode: 'x'.repeat(21) }, 'body.postalCode'],
      [{ ...HOME, phone: 'call me maybe' }, 'body.phone'],
      [{ ...HOME, isDefault: 'yes' }, 'body.isDefault'],
    ];
    it.skipIf(skip).each(createCases)('POST with %j answers 400 naming %s', async (payload, field) => {
      const response = await asBearer(app.server, ann, 'POST', '/api/me/addresses', payload);
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toContain(field);
    });

    it.skipIf(skip)('PATCH with an empty body or a bad field answers 400', async () => {
      const address = (await asBearer(app.server, ann, 'POST', '/api/me/addresses', HOME)).json();
      const empty = await asBearer(app.server, ann, 'PATCH', `/api/me/addresses/${address.id}`, {});
      expect(empty.statusCode).toBe(400);
      expect(empty.json().message).toContain('at least one field');
      const bad = await asBearer(app.server, ann, 'PATCH', `/api/me/addresses/${address.id}`, { country: 'ZZ' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toContain('body.country');
    });

    it.skipIf(skip).each(['GET', 'PATCH', 'DELETE'] as const)('%s with a non-UUID id answers 400 naming params.id', async (method) => {
      const response = await asBearer(app.server, ann, method, '/api/me/addresses/42', method === 'PATCH' ? { city: 'X' } : undefined);
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toContain('params.id');
    });
  });
});
