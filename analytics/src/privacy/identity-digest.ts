import { createHash } from 'node:crypto';

/**
 * How an erased identity is kept: a SHA-256 digest of (tenant, kind, id), never the id itself,
 * so the erasure list names nobody. The tenant is part of the hashed text, so the same id in
 * two tenants gives unrelated digests and an erasure never reaches another tenant.
 */
export type IdentityKind = 'user' | 'anonymous';

export interface ErasedIdentity {
  kind: IdentityKind;
  /** Lower-case hex SHA-256 of `${tenantId}\0${kind}\0${id}`. */
  digest: string;
}

export function identityDigest(tenantId: string, kind: IdentityKind, id: string): string {
  return createHash('sha256').update(`${tenantId}\0${kind}\0${id}`).digest('hex');
}

/** The digests of a person's ids, deduplicated and sorted, so equal inputs give equal lists. */
export function erasedIdentities(tenantId: string, ids: { userIds?: readonly string[]; anonymousIds?: readonly string[] }): ErasedIdentity[] {
  const out = new Map<string, ErasedIdentity>();
  for (const id of ids.userIds ?? []) out.set(`user:${id}`, { kind: 'user', digest: identityDigest(tenantId, 'user', id) });
  for (const id of ids.anonymousIds ?? []) out.set(`anonymous:${id}`, { kind: 'anonymous', digest: identityDigest(tenantId, 'anonymous', id) });
  return sortIdentities([...out.values()]);
}

export function sortIdentities(identities: readonly ErasedIdentity[]): ErasedIdentity[] {
  const unique = new Map(identities.map((i) => [`${i.kind}:${i.digest}`, i]));
  return [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, i]) => i);
}
