import { connect } from 'node:net';

/** Where the real engines listen on this machine (and in CI). Override with TEST_*_URL. */
export const TEST_ENGINES = {
  postgres: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
  nats: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
} as const;

function tcpReachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Whether a real-engine suite can run. Without the engine a suite is skipped, except under
 * `REQUIRE_SERVICES=1` (CI), where an unreachable engine is a failure: CI must never go green
 * by quietly skipping the real engines.
 *
 * @example
 * const redis = await realEngine('redis');
 * describe.skipIf(!redis.available)('cart store on real Redis', () => { ... });
 */
export async function realEngine(name: keyof typeof TEST_ENGINES): Promise<{ available: boolean; url: string }> {
  const url = TEST_ENGINES[name];
  const available = await tcpReachable(url);
  if (!available && process.env.REQUIRE_SERVICES === '1') {
    throw new Error(`REQUIRE_SERVICES=1 but ${name} is not reachable at ${url}`);
  }
  return { available, url };
}
