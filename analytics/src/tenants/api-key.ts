import { createHash, randomBytes } from 'node:crypto';

/**
 * Write keys ingest events; read keys query views; share keys open one tenant's dashboard
 * read-only until they expire. One never stands in for another.
 */
export type KeyKind = 'write' | 'read' | 'share';

/** What a share key may do: read the routes the dashboard calls, nothing else. */
export type KeyScope = 'dashboard';

/** A key as stored: only its hash, never the key itself. */
export interface ApiKeyRecord {
  /** Public handle used to list and revoke, e.g. `key_3f9a...`. */
  id: string;
  tenantId: string;
  kind: KeyKind;
  /** SHA-256 (hex) of the plain key. A fast hash is enough: the key has 192 bits of entropy. */
  hash: string;
  /** The first characters of the plain key, so an operator can tell keys apart. */
  hint: string;
  label?: string;
  createdAt: string;
  revokedAt?: string;
  /** Share keys only: past this instant the key is refused. */
  expiresAt?: string;
  /** Share keys only. */
  scope?: KeyScope;
}

const PREFIX: Record<KeyKind, string> = { write: 'wk_', read: 'rk_', share: 'sk_' };

/** The plain key's prefix says what it is, so a leaked key is recognisable by secret scanners. */
export function kindOfKey(plain: string): KeyKind | undefined {
  if (plain.startsWith(PREFIX.write)) return 'write';
  if (plain.startsWith(PREFIX.read)) return 'read';
  if (plain.startsWith(PREFIX.share)) return 'share';
  return undefined;
}

export function hashKey(plain: string): string {
  return createHash('sha256').update(plain, 'utf8').digest('hex');
}

/** A fresh key: shown to its owner once, stored only as `record.hash`. */
export function generateKey(
  tenantId: string,
  kind: KeyKind,
  now: Date,
  label?: string,
  share?: { expiresAt: Date; scope: KeyScope },
): { plain: string; record: ApiKeyRecord } {
  const plain = PREFIX[kind] + randomBytes(24).toString('base64url');
  const record: ApiKeyRecord = {
    id: `key_${randomBytes(8).toString('hex')}`,
    tenantId,
    kind,
    hash: hashKey(plain),
    hint: `${plain.slice(0, 7)}...`,
    createdAt: now.toISOString(),
    ...(label ? { label } : {}),
    ...(share ? { expiresAt: share.expiresAt.toISOString(), scope: share.scope } : {}),
  };
  return { plain, record };
}
