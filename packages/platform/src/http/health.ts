import type { FastifyInstance } from 'fastify';

/** A named dependency check for `/ready`; it throws (or rejects) when the dependency is unusable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

/**
 * `/health` answers while the process lives (liveness); `/ready` only when every dependency
 * answers, and turns 503 once shutdown starts so a load balancer drains this instance first.
 */
export function installHealth(app: FastifyInstance, checks: ReadinessCheck[], isShuttingDown: () => boolean): void {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { schema: { hide: true } }, async (_request, reply) => {
    if (isShuttingDown()) return reply.status(503).send({ status: 'shutting-down' });
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message : String(error)] as const;
        }
      }),
    );
    const ok = results.every(([, state]) => state === 'ok');
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });
}
