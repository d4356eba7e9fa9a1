import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RouteOptions } from 'fastify';
import type { RedisClient } from '../redis/redis-client.ts';

/**
 * Takes up to ARGV[2] tokens of a client's fixed window at once, never more than are left under
 * ARGV[3]; at or over the limit it counts the one refused request. One key, so one slot on a cluster.
 */
const LEASE_SCRIPT = `
local key = KEYS[1]
local window = tonumber(ARGV[1])
local batch = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local before = tonumber(redis.call('GET', key) or '0')
local grant = math.max(1, math.min(batch, max - before))
local current = redis.call('INCRBY', key, grant)
local ttl = redis.call('PTTL', key)
if ttl < 0 then
  redis.call('PEXPIRE', key, window)
  ttl = window
end
return {current, ttl, grant}
`;

const COMMAND = 'rateLimitLease';

type LeaseCommand = (key: string, window: number, batch: number, max: number) => Promise<[number, number, number]>;

/** Tokens this process holds of one client's window, spent without asking Redis. */
interface Lease {
  /** The window count the next locally spent token stands for. */
  next: number;
  left: number;
  expiresAt: number;
}

/** A batch is at most this share of the budget, so budgets under 128 are counted one request at a time (exactly). */
const BATCH_SHARE_OF_BUDGET = 1 / 64;
/** A batch never exceeds this: the tokens one instance can strand when a client moves on. */
const MAX_BATCH = 16;
/** Clients with unspent tokens kept per process; beyond it the oldest lease is dropped (its tokens go unused). */
const MAX_LEASES = 10_000;

/** Tokens taken per Redis round trip for a budget of `max` per window: 1 for small budgets. */
export const leaseBatch = (max: number): number => Math.max(1, Math.min(MAX_BATCH, Math.floor(max * BATCH_SHARE_OF_BUDGET)));

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A `@fastify/rate-limit` store on Redis that takes a client's tokens a small batch at a time
 * (`leaseBatch`), so most requests of a client well under its budget are answered from memory.
 * A token is counted in Redis before it is spent, so no client is ever let past the limit; the
 * cost is that tokens one instance holds cannot be spent on another (see the ADR on the limit).
 * The script goes by SHA (ioredis `defineCommand`), re-sent in full only after a NOSCRIPT.
 */
export function leasedRateLimitStore(redis: RedisClient, prefix: string): FastifyRateLimitStoreCtor {
  const client = redis as RedisClient & Partial<Record<typeof COMMAND, LeaseCommand>>;
  if (!client[COMMAND]) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: LEASE_SCRIPT });
  const lease = client[COMMAND] as LeaseCommand;

  return class LeasedRateLimitStore implements FastifyRateLimitStore {
    private readonly leases = new Map<string, Lease>();
    /** Clients whose lease is being taken: their other requests wait for it rather than take one each. */
    private readonly taking = new Map<string, Promise<Error | null>>();
    constructor(
      _params?: unknown,
      private readonly keyPrefix = prefix,
    ) {}

    incr(id: string, callback: Callback, timeWindow: number, max: number): void {
      const now = Date.now();
      const held = this.leases.get(id);
      if (held && held.expiresAt > now) {
        const current = held.next++;
        if (--held.left === 0) this.leases.delete(id);
        callback(null, { current, ttl: held.expiresAt - now });
        return;
      }
      if (held) this.leases.delete(id);
      const pending = this.taking.get(id);
      if (pending) {
        // A failed lease fails its waiters too: a Redis outage must not queue them one timeout after another.
        void pending.then((error) => (error ? callback(error) : this.incr(id, callback, timeWindow, max)));
        return;
      }
      const batch = leaseBatch(max);
      const taken = lease.call(client, this.keyPrefix + id, timeWindow, batch, max).then(
        ([current, ttl, grant]) => {
          this.taking.delete(id);
          const first = current - grant + 1;
          if (grant > 1 && first <= max) this.keep(id, { next: first + 1, left: grant - 1, expiresAt: Date.now() + ttl });
          callback(null, { current: first, ttl });
          return null;
        },
        (error: Error) => {
          this.taking.delete(id);
          callback(error);
          return error;
        },
      );
      // One request at a time counts exactly; only batches are worth waiting for.
      if (batch > 1) this.taking.set(id, taken);
    }

    private keep(id: string, taken: Lease): void {
      // A lease taken while tokens were still held (the window rolled over between the two): pool them.
      const held = this.leases.get(id);
      if (held && held.expiresAt > Date.now()) {
        held.left += taken.left;
        held.expiresAt = Math.min(held.expiresAt, taken.expiresAt);
        return;
      }
      if (this.leases.size >= MAX_LEASES) this.leases.delete(this.leases.keys().next().value!);
      this.leases.set(id, taken);
    }

    /** A route with its own limits counts apart (the plugin passes that route's merged options, `routeInfo` inside). */
    child(routeOptions: RouteOptions & { path: string; prefix: string }): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: Partial<RouteOptions> }).routeInfo ?? routeOptions;
      return new LeasedRateLimitStore(undefined, `${this.keyPrefix}${String(route.method)}${route.url}-`);
    }
  };
}
