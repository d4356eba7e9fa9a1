import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { createLogger } from '@shop/platform';
import type { Database, QueryResult, Sql } from '../../src/shared/database/index.ts';
import type { Principal } from '../../src/shared/http/auth.ts';
import type { TrackingApi } from '../../src/modules/tracking/index.ts';

export const silentLogger = createLogger('test', 'silent');

export interface ReceivedBatch {
  headers: IncomingHttpHeaders;
  body: { batch: Array<Record<string, unknown>>; sentAt: string };
}

/**
 * Stands in for the analytics collector: a real HTTP server on loopback that records every
 * `/v1/batch` request and answers as told (`ok`, `invalid` = 400, `unavailable` = 503).
 * `stop()` closes the port, so sends fail with a refused connection, as when analytics is down.
 */
export async function startReceiver(port = 0) {
  const batches: ReceivedBatch[] = [];
  let mode: 'ok' | 'invalid' | 'unavailable' = 'ok';
  let server: Server | undefined;
  let boundPort = port;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((req, res) => {
        let raw = '';
        req.on('data', (c: Buffer) => (raw += c.toString()));
        req.on('end', () => {
          if (req.url !== '/v1/batch' || req.method !== 'POST') return void res.writeHead(404).end();
          if (mode === 'unavailable') return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"UNAVAILABLE"}');
          const body = JSON.parse(raw) as ReceivedBatch['body'];
          if (mode === 'invalid') {
            return void res
              .writeHead(400, { 'content-type': 'application/json' })
              .end(JSON.stringify({ success: false, accepted: 0, error: 'INVALID_EVENT', message: 'No event was accepted' }));
          }
          batches.push({ headers: req.headers, body });
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true, accepted: body.batch.length, duplicates: [], rejected: [] }));
        });
      });
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        boundPort = (server!.address() as { port: number }).port;
        resolve();
      });
    });

  await listen();
  return {
    get url() {
      return `http://127.0.0.1:${boundPort}`;
    },
    batches,
    messages: () => batches.flatMap((b) => b.body.batch),
    setMode: (next: typeof mode) => void (mode = next),
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      server?.closeAllConnections();
      server = undefined;
    },
    start: listen,
  };
}

/** Signed-in when the request carries `x-test-user`; nothing else of users is needed here. */
export const testAuth = {
  async identify(request: { headers: IncomingHttpHeaders }): Promise<Principal | null> {
    const user = request.headers['x-test-user'];
    return typeof user === 'string' ? { userId: user, role: 'customer', sessionId: 's', via: 'bearer' } : null;
  },
};

/**
 * A Fastify app with the shop's tracked route patterns (answering like the real modules do)
 * and the tracking hooks in the `/api` scope, wired the way `app.ts` wires them.
 */
export async function startShop(tracking: TrackingApi): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(fastifyCookie);
  await app.register(
    async (api) => {
      api.addHook('onRequest', tracking.assignAnonymousId);
      api.addHook('onResponse', tracking.observe);
      api.get('/products', async () => ({ items: [] }));
      api.get('/products/:idOrSlug', async (request, reply) =>
        (request.params as { idOrSlug: string }).idOrSlug === 'missing' ? reply.status(404).send({ error: 'NOT_FOUND' }) : { id: 'p' },
      );
      api.post('/cart/items', async () => ({ cartToken: 'x' }));
      api.post('/checkout', async (_request, reply) =>
        reply.status(202).header('location', '/api/orders/0b7e6f3c-2a7d-4c55-9a55-6f1c2b3d4e5f').send({ orderId: '0b7e6f3c-2a7d-4c55-9a55-6f1c2b3d4e5f' }),
      );
      api.post('/auth/register', async (request, reply) => {
        tracking.noteSignedIn('11111111-2222-4333-8444-555555555555', request);
        return reply.status(202).send({ ok: true });
      });
      api.get('/categories', async () => ({ items: [] }));
    },
    { prefix: '/api' },
  );
  await app.ready();
  return app;
}

/**
 * A database whose statements on `tracking.outbox` can be made to hang (never answer) or fail:
 * the spool "unavailable" while every other query works.
 */
export function gatedDatabase(db: Database) {
  let state: 'open' | 'hang' | 'fail' = 'open';
  const hung: Array<() => void> = [];
  const gate = async <T>(text: string, run: () => Promise<T>): Promise<T> => {
    if (state !== 'open' && text.includes('tracking.outbox')) {
      if (state === 'fail') throw new Error('spool unavailable (test)');
      await new Promise<void>((resolve) => hung.push(resolve));
      // Released: the statement meets whatever state the test moved to.
      return gate(text, run);
    }
    return run();
  };
  const wrap = (sql: Sql): Sql => ({
    query: <R>(text: string, params?: readonly unknown[]) => gate<QueryResult<R>>(text, () => sql.query<R>(text, params)),
    exec: (script: string) => gate(script, () => sql.exec(script)),
  });
  const gated: Database = {
    ...wrap(db),
    engine: db.engine,
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    listen: (channel, onNotify) => db.listen(channel, onNotify),
    close: () => db.close(),
  };
  return {
    db: gated,
    set: (next: typeof state) => {
      state = next;
      if (next !== 'hang') for (const release of hung.splice(0)) release();
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false; the test timeout bounds it. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, everyMs = 20): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
