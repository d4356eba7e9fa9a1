import { Cluster, Redis } from 'ioredis';

/** A single Redis or a Redis Cluster: the commands every adapter uses exist on both. */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** Prepended to every key by ioredis (hash tags inside it decide the slot on a cluster). */
  keyPrefix?: string;
  /** Retries of one command across reconnects (single Redis) or redirections and failovers (cluster). */
  maxRetriesPerRequest?: number;
  connectTimeout?: number;
  commandTimeout?: number;
  lazyConnect?: boolean;
}

/** Where to connect: one server, or the seed nodes of a cluster. */
export type RedisTarget = { kind: 'single'; url: string } | { kind: 'cluster'; nodes: { host: string; port: number }[]; password?: string; tls: boolean };

const CLUSTER_SCHEMES = ['redis+cluster:', 'rediss+cluster:'];

/**
 * Reads a Redis address: `redis://` or `rediss://` for one server, `redis+cluster://host:port,host:port`
 * (or `rediss+cluster://`, optionally `:password@` before the first node) for the seed nodes of a
 * cluster. One URL form lets every existing `*_REDIS_URL` setting point at a cluster. Returns null
 * when `url` is neither.
 *
 * @example
 * parseRedisTarget('redis+cluster://10.0.0.1:7000,10.0.0.2:7000')
 * // { kind: 'cluster', nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7000 }], tls: false }
 */
export function parseRedisTarget(url: string): RedisTarget | null {
  const scheme = url.slice(0, url.indexOf('//'));
  if (CLUSTER_SCHEMES.includes(scheme)) {
    let rest = url.slice(scheme.length + 2).replace(/\/+$/, '');
    let password: string | undefined;
    const at = rest.lastIndexOf('@');
    if (at >= 0) {
      const credentials = rest.slice(0, at);
      password = decodeURIComponent(credentials.slice(credentials.indexOf(':') + 1));
      rest = rest.slice(at + 1);
    }
    const nodes = rest.split(',').map((node) => {
      const match = /^([^:,/]+|\[[^\]]+\]):(\d{1,5})$/.exec(node.trim());
      return match ? { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) } : null;
    });
    if (nodes.length === 0 || nodes.some((node) => node === null || node.port < 1 || node.port > 65535)) return null;
    return { kind: 'cluster', nodes: nodes as { host: string; port: number }[], tls: scheme === 'rediss+cluster:', ...(password ? { password } : {}) };
  }
  try {
    return ['redis:', 'rediss:'].includes(new URL(url).protocol) ? { kind: 'single', url } : null;
  } catch {
    return null;
  }
}

/**
 * The one place a Redis client is made: `redis://` gives an ioredis `Redis`, `redis+cluster://` an
 * ioredis `Cluster` that follows MOVED/ASK redirections and re-reads the slot map after a failover.
 * Errors are left to the failing command (and to readiness checks), never thrown as events.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): RedisClient {
  const target = parseRedisTarget(url);
  if (!target) throw new Error(`not a Redis URL (redis://, rediss://, redis+cluster://host:port,...): ${url}`);
  const { keyPrefix, maxRetriesPerRequest = 3, connectTimeout, commandTimeout, lazyConnect } = options;
  const common = {
    ...(keyPrefix !== undefined ? { keyPrefix } : {}),
    ...(connectTimeout !== undefined ? { connectTimeout } : {}),
    ...(commandTimeout !== undefined ? { commandTimeout } : {}),
  };
  const client: RedisClient =
    target.kind === 'single'
      ? new Redis(url, { ...common, maxRetriesPerRequest, ...(lazyConnect !== undefined ? { lazyConnect } : {}) })
      : new Cluster(target.nodes, {
          ...(keyPrefix !== undefined ? { keyPrefix } : {}),
          ...(lazyConnect !== undefined ? { lazyConnect } : {}),
          // Each retry of a command is a redirection or a wait for the cluster to settle after a failover.
          maxRedirections: Math.max(16, maxRetriesPerRequest * 4),
          retryDelayOnFailover: 200,
          retryDelayOnClusterDown: 200,
          retryDelayOnTryAgain: 100,
          slotsRefreshTimeout: 2_000,
          redisOptions: {
            ...(connectTimeout !== undefined ? { connectTimeout } : {}),
            ...(commandTimeout !== undefined ? { commandTimeout } : {}),
            maxRetriesPerRequest,
            ...(target.password ? { password: target.password } : {}),
            ...(target.tls ? { tls: {} } : {}),
          },
        });
  client.on('error', () => undefined);
  return client;
}

/** Whether the client talks to a cluster (its keyspace is spread over several masters). */
export function isCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/**
 * Every key matching `pattern`, in pages, with SCAN (never KEYS, which blocks the server). On a
 * cluster SCAN sees one node's keys only, so each master is scanned in turn.
 */
export async function* scanKeys(client: RedisClient, pattern: string, count = 1000): AsyncGenerator<string[]> {
  if (isCluster(client)) await client.ping(); // the node list is known once the slot map is
  const nodes: Redis[] = isCluster(client) ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

/**
 * UNLINKs keys found by `scanKeys`. A cluster refuses one multi-key command across slots, so keys
 * are unlinked one command per key there (pipelined by ioredis's per-node batching).
 */
export async function unlinkKeys(client: RedisClient, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  if (!isCluster(client)) {
    await client.unlink(...keys);
    return;
  }
  await Promise.all(keys.map((key) => client.unlink(key)));
}
