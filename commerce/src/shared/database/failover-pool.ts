import pg from 'pg';
import { EngineUnavailableError } from '@shop/platform';
import type { PostgresHosts, TargetSessionAttrs } from './postgres-hosts.ts';

export interface FailoverPoolOptions {
  hosts: PostgresHosts;
  /** Connections per host. */
  poolSize: number;
  /** How long `connect` keeps looking for a suitable server before giving up (a failover in progress). */
  waitMs: number;
  /** One connection attempt to one host; a host that drops packets must not hold up the others. */
  connectTimeoutMs?: number;
  /** Told whenever a host is chosen (after start or a failover). */
  onChosen?: (label: string) => void;
}

/**
 * node-postgres pools, one per listed host, and the host currently in use. Connections come from
 * that host until one fails in a way that says the server is gone or no longer fit (shut down,
 * unreachable, read-only where writes are wanted); then the hosts are tried again in order and
 * the first that fits `target_session_attrs` is used, the way libpq does at connect time.
 */
export interface FailoverPool {
  /** A connection on a suitable host; waits up to `waitMs` for one, then throws `EngineUnavailableError`. */
  connect(): Promise<pg.PoolClient>;
  /** Gives a connection back; pass the error it failed with so a dead one is dropped and the host re-chosen. */
  release(client: pg.PoolClient, error?: unknown): void;
  /** The host in use, as `host:port`; undefined while none is chosen. */
  current(): string | undefined;
  end(): Promise<void>;
}

interface Role {
  standby: boolean;
  readOnly: boolean;
}

/** SQLSTATEs and socket errors after which the connection, or the server's role, cannot be trusted. */
const CONNECTION_LOST_CODES = new Set([
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up, or a standby not yet accepting
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '25006', // read_only_sql_transaction: this server became (or is) a standby
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/** Whether `error` means the connection or its server is gone, rather than the statement being wrong. */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof EngineUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_LOST_CODES.has(code)) return true;
  return /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Connection is closed/i.test(error.message);
}

const fits: Record<Exclude<TargetSessionAttrs, 'prefer-standby'>, (role: Role) => boolean> = {
  any: () => true,
  'read-write': (r) => !r.standby && !r.readOnly,
  primary: (r) => !r.standby,
  'read-only': (r) => r.standby || r.readOnly,
  standby: (r) => r.standby,
};

export function createFailoverPool(options: FailoverPoolOptions): FailoverPool {
  const { hosts, waitMs } = options;
  const pools = hosts.urls.map((url, index) => {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize, connectionTimeoutMillis: options.connectTimeoutMs ?? 2_000 });
    // An idle connection dying (server stopped) must not crash the process; the pool drops it,
    // and a dead server is not worth handing out further connections from.
    pool.on('error', (error) => {
      if (chosen === index && isConnectionLoss(error)) chosen = undefined;
    });
    return pool;
  });
  const passes: Array<(role: Role) => boolean> =
    hosts.target === 'prefer-standby' ? [fits.standby, fits.any] : [fits[hosts.target]];
  // With one host and no role wanted there is nothing to choose: skip the role query.
  const needsRole = hosts.target !== 'any';
  let chosen: number | undefined = hosts.urls.length === 1 && !needsRole ? 0 : undefined;
  let choosing: Promise<number> | undefined;
  let ended = false;
  const hostOf = new WeakMap<pg.PoolClient, number>();

  async function roleOf(index: number): Promise<Role> {
    const client = await pools[index]!.connect();
    try {
      const { rows } = await client.query<{ standby: boolean; read_only: string }>(
        `select pg_is_in_recovery() as standby, current_setting('transaction_read_only') as read_only`,
      );
      client.release();
      return { standby: rows[0]!.standby, readOnly: rows[0]!.read_only === 'on' };
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  async function choose(): Promise<number> {
    const problems: string[] = [];
    for (const pass of passes) {
      for (let index = 0; index < pools.length; index++) {
        try {
          if (!needsRole || pass(await roleOf(index))) {
            options.onChosen?.(hosts.labels[index]!);
            return index;
          }
          problems.push(`${hosts.labels[index]}: not ${hosts.target}`);
        } catch (error) {
          problems.push(`${hosts.labels[index]}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    throw new Error(problems.join('; '));
  }

  async function host(): Promise<number> {
    if (chosen !== undefined) return chosen;
    // Concurrent callers share one round of choosing instead of each probing every host.
    choosing ??= choose().finally(() => (choosing = undefined));
    const index = await choosing;
    chosen = index;
    return index;
  }

  return {
    async connect() {
      const deadline = Date.now() + waitMs;
      for (;;) {
        let index: number | undefined;
        try {
          index = await host();
          const client = await pools[index]!.connect();
          if (!hostOf.has(client)) {
            // node-postgres emits 'error' on a checked-out client whose server goes away, even
            // with a statement in flight (which is rejected too); unheard, it would end the process.
            const from = index;
            client.on('error', (error) => {
              if (chosen === from && isConnectionLoss(error)) chosen = undefined;
            });
          }
          hostOf.set(client, index);
          return client;
        } catch (error) {
          if (index !== undefined && chosen === index) chosen = undefined;
          if (ended || Date.now() >= deadline) {
            throw new EngineUnavailableError('database', `No ${hosts.target} PostgreSQL among ${hosts.labels.join(', ')} within ${waitMs} ms`, { cause: error });
          }
          await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
        }
      }
    },
    release(client, error) {
      const lost = error !== undefined && isConnectionLoss(error);
      if (lost) {
        if (hostOf.get(client) === chosen) chosen = undefined;
      }
      client.release(lost ? (error instanceof Error ? error : true) : undefined);
    },
    current: () => (chosen === undefined ? undefined : hosts.labels[chosen]),
    async end() {
      ended = true;
      await Promise.all(pools.map((p) => p.end()));
    },
  };
}
