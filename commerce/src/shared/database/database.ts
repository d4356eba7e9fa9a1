/**
 * The database port every module uses. Two adapters implement it: PGlite (embedded default)
 * and node-postgres (production). Both speak real PostgreSQL, so schemas, `FOR UPDATE SKIP LOCKED`
 * and LISTEN/NOTIFY behave the same; one contract suite runs against both.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Present on a transaction's `tx` only: runs `callback` right after the transaction commits,
   * never when it rolls back. The event bus uses it to hand freshly committed deliveries to this
   * process's handlers without a round trip. Callbacks must not throw (a throw is swallowed).
   */
  onCommit?(callback: () => void): void;
  /**
   * Present on a transaction's `tx` only: runs `callback` after the transaction's work resolved and
   * before its COMMIT, in the order added (callbacks added meanwhile too). A callback that throws
   * rolls the transaction back like the work throwing. The event bus runs inline deliveries here.
   */
  beforeCommit?(callback: () => Promise<void>): void;
}

export interface Database extends Sql {
  readonly engine: 'pglite' | 'postgres';
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Pass the `tx` on to every repository call (and to `events.publish(tx, ...)`) so they join it.
   */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for every NOTIFY on `channel`; resolves to an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Observes every statement; used by metrics and by the test that holds checkout to a query budget. */
export type QueryObserver = (text: string) => void;
