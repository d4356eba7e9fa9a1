import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, createServer, forbidden, unauthorized } from '@shop/platform';
import { migrate } from '../../src/shared/database/index.ts';
import { eventAdminRoutes, eventsMigrations } from '../../src/shared/events/index.ts';
import type { Authenticator, Principal } from '../../src/shared/http/auth.ts';
import { databaseEngines } from '../support/databases.ts';
import { newBus, OrderCreated, silentLogger, waitFor } from './event-bus.fixtures.ts';

const engine = databaseEngines().find((e) => e.name === 'postgres' && !e.skip) ?? databaseEngines()[0]!;

/** Stands in for the users module: the role comes from a test header. */
const auth: Authenticator = {
  async identify(request: FastifyRequest) {
    const role = request.headers['x-test-role'];
    return role === 'admin' || role === 'customer' ? ({ userId: 'u1', role, sessionId: 's1', via: 'bearer' } satisfies Principal) : null;
  },
  async requireUser(request) {
    const principal = await this.identify(request);
    if (!principal) throw unauthorized();
    return principal;
  },
  async requireAdmin(request) {
    const principal = await this.requireUser(request);
    if (principal.role !== 'admin') throw forbidden();
    return principal;
  },
};

describe(`event admin routes (${engine.name})`, () => {
  it('lists dead letters and stats, replays a dead delivery, and is closed to non-admins', async () => {
    const { db, cleanup } = await engine.open();
    await migrate(db, [eventsMigrations]);
    const bus = newBus(db, { pollIntervalMs: 50, retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 5 } });
    let healthy = false;
    bus.subscribe('mailer', OrderCreated, async () => {
      if (!healthy) throw new Error('smtp down');
    });
    bus.subscribe('ledger', OrderCreated, async () => undefined);
    const server = await createServer({ logger: silentLogger, title: 't', description: 't', metrics: createMetricsRegistry('t') });
    await server.register(eventAdminRoutes({ bus, auth }), { prefix: '/api' });
    await server.ready();
    const get = (url: string, role = 'admin') => server.inject({ method: 'GET', url, headers: { 'x-test-role': role } });
    try {
      await bus.start();
      const event = OrderCreated.create({ orderId: 'o1', totalMinor: 1 });
      await db.transaction((tx) => bus.publish(tx, event));
      await waitFor(async () => (await bus.admin.stats()).every((s) => s.pending + s.processing === 0) && (await bus.admin.stats()).length === 2);

      expect((await get('/api/admin/events/dead-letters')).statusCode).toBe(200);
      const dead = (await get('/api/admin/events/dead-letters')).json().deliveries;
      expect(dead).toMatchObject([{ subscriber: 'mailer', eventId: event.id, status: 'dead', attempts: 1, payload: { orderId: 'o1' } }]);
      expect(dead[0].lastError).toContain('smtp down');
      const filtered = (await get(`/api/admin/events/deliveries?subscriber=ledger&eventId=${event.id}`)).json().deliveries;
      expect(filtered.map((d: { subscriber: string; status: string }) => [d.subscriber, d.status])).toEqual([['ledger', 'done']]);
      expect((await get('/api/admin/events/stats')).json().subscribers.map((s: { subscriber: string; done: number; dead: number }) => [s.subscriber, s.done, s.dead])).toEqual([
        ['ledger', 1, 0],
        ['mailer', 0, 1],
      ]);

      expect((await get('/api/admin/events/stats', 'customer')).statusCode).toBe(403);
      expect((await server.inject({ method: 'POST', url: `/api/admin/events/deliveries/${dead[0].id}/replay` })).statusCode).toBe(401);
      expect((await get('/api/admin/events/deliveries?status=lost')).statusCode).toBe(400);

      healthy = true;
      const replay = () => server.inject({ method: 'POST', url: `/api/admin/events/deliveries/${dead[0].id}/replay`, headers: { 'x-test-role': 'admin' } });
      const replayed = await replay();
      expect([replayed.statusCode, replayed.json().status, replayed.json().attempts]).toEqual([200, 'pending', 0]);
      await waitFor(async () => (await bus.admin.listDeliveries({ subscriber: 'mailer', status: 'done' })).length === 1);
      expect([(await replay()).statusCode, (await replay()).json().error]).toEqual([409, 'DELIVERY_NOT_DEAD']);
      expect((await server.inject({ method: 'POST', url: '/api/admin/events/deliveries/987654/replay', headers: { 'x-test-role': 'admin' } })).statusCode).toBe(404);
    } finally {
      await bus.stop();
      await server.close();
      await cleanup();
    }
  });
});
