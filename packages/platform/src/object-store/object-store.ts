/**
 * Where immutable files live: the archiver's raw NDJSON, the batch job's Parquet, positions.
 * Keys are `/`-separated paths (`raw/tenant=acme/date=2026-11-25/hour=10/p3-...ndjson`); no
 * segment may be empty, `.` or `..`, or start with a `.` (the local adapter keeps its temporary
 * files there). Adapters: a local directory (embedded default) and S3 (or any S3-protocol server).
 * One contract suite (`object-store.contract.ts`) runs against both.
 */
export interface ObjectStore {
  /** Atomic: a reader sees the previous object (or none) until this resolves, then the whole new one; resolves once durable. */
  put(key: string, body: Uint8Array | string): Promise<void>;
  /** The object's bytes, or `null` when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** Every key starting with `prefix` (a plain string prefix, as in S3), sorted by UTF-8 bytes. */
  list(prefix: string): Promise<string[]>;
  /** Removes the object; no error when it is already gone. */
  delete(key: string): Promise<void>;
  /** The object's size, or `null` when there is none. */
  head(key: string): Promise<{ size: number } | null>;
  close(): Promise<void>;
}

/** Thrown for a key the port does not allow (see `ObjectStore`). */
export class InvalidObjectKeyError extends Error {
  constructor(readonly key: string) {
    super(`invalid object key ${JSON.stringify(key)}: segments must be non-empty and must not start with "."`);
    this.name = 'InvalidObjectKeyError';
  }
}

export function checkKey(key: string): void {
  if (key.length === 0 || key.length > 1024) throw new InvalidObjectKeyError(key);
  for (const segment of key.split('/')) {
    if (segment.length === 0 || segment.startsWith('.') || segment.includes('\0') || segment.includes('\\')) throw new InvalidObjectKeyError(key);
  }
}

/** S3's listing order (UTF-8 bytes), which differs from JS string order outside the BMP. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
