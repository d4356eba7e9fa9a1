import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '@shop/platform';
import type { EventAdmin } from '../events/index.ts';
import { guardPermission } from '../http/admin-guard.ts';
import type { Authenticator } from '../http/auth.ts';

/** One engine the shop runs on, and how to ask it whether it answers. */
export interface EngineProbe {
  /** What it is for: `database`, `cache`. */
  name: string;
  /** Which engine serves it: `postgresql`, `pglite`, `redis`, `memory`. */
  engine: string;
  check: () => Promise<unknown>;
}

/** The NATS bridge as configured: which event types go out (relay) and come in (inbound). */
export interface BridgeSettings {
  relayTypes: readonly string[];
  inboundTypes: readonly string[];
  /** The bus subscriber the relay forwards as, whose backlog shows how far behind it is. */
  relaySubscriber: string;
}

const PROBE_TIMEOUT_MS = 2_000;

async function probe(p: EngineProbe) {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      p.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
      }),
    ]);
    return { name: p.name, engine: p.engine, ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10, error: null };
  } catch (error) {
    return { name: p.name, engine: p.engine, ok: false, latencyMs: null, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

const engineSchema = z.object({
  name: z.string(),
  engine: z.string(),
  ok: z.boolean(),
  latencyMs: z.number().nullable(),
  error: z.string().nullable(),
});
const backlog = z.object({ pending: z.int(), processing: z.int(), dead: z.int(), oldestPendingAgeSeconds: z.number() });

export const engineHealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']).describe('down: an engine does not answer; degraded: dead letters wait for an admin'),
  checkedAt: z.string(),
  engines: z.array(engineSchema),
  bus: backlog.extend({ subscribers: z.array(backlog.extend({ subscriber: z.string(), done: z.int() })) }),
  relay: z.object({ enabled: z.boolean(), eventTypes: z.array(z.string()), backlog: backlog.nullable() }),
  inbound: z.object({ enabled: z.boolean(), eventTypes: z.array(z.string()) }),
});

/**
 * `GET /api/admin/health`: each engine asked in turn (with a timeout), the bus's backlog and
 * dead letters per subscriber, and the NATS bridge. Unlike `/ready` (for the load balancer,
 * open to all) it names engines and errors, so it is admins only.
 */
export function engineHealthRoutes(deps: { probes: readonly EngineProbe[]; bus: { admin: EventAdmin }; bridge: BridgeSettings; auth: Authenticator }) {
  return async (root: FastifyInstance): Promise<void> => {
    guardPermission(root, deps.auth, 'operations.manage');
    root.withTypeProvider<ZodTypeProvider>().get(
      '/health',
      {
        schema: {
          tags: ['operations'],
          security: [{ session: [] }, { bearer: [] }],
          summary: 'Health of the engines (database, cache), the event bus and its NATS relay',
          response: { 200: engineHealthSchema },
        },
      },
      async () => {
        const engines = await Promise.all(deps.probes.map(probe));
        const databaseUp = engines.find((e) => e.name === 'database')?.ok !== false;
        const subscribers = databaseUp ? await deps.bus.admin.stats() : [];
        const sum = (list: typeof subscribers) => ({
          pending: list.reduce((n, s) => n + s.pending, 0),
          processing: list.reduce((n, s) => n + s.processing, 0),
          dead: list.reduce((n, s) => n + s.dead, 0),
          oldestPendingAgeSeconds: Math.max(0, ...list.map((s) => s.oldestPendingAgeSeconds)),
        });
        const bus = { ...sum(subscribers), subscribers };
        const relayStats = subscribers.filter((s) => s.subscriber === deps.bridge.relaySubscriber);
        const status: 'ok' | 'degraded' | 'down' = engines.some((e) => !e.ok) ? 'down' : bus.dead > 0 ? 'degraded' : 'ok';
        return {
          status,
          checkedAt: new Date().toISOString(),
          engines,
          bus,
          relay: {
            enabled: deps.bridge.relayTypes.length > 0,
            eventTypes: [...deps.bridge.relayTypes],
            backlog: deps.bridge.relayTypes.length > 0 ? sum(relayStats) : null,
          },
          inbound: { enabled: deps.bridge.inboundTypes.length > 0, eventTypes: [...deps.bridge.inboundTypes] },
        };
      },
    );
  };
}
