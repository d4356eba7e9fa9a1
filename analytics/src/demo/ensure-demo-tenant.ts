import { hashKey, type KeyKind, kindOfKey, type TenantsApi, type TenantStore } from '../tenants/index.ts';

export interface DemoTenant {
  id: string;
  name: string;
  timeZone: string;
  /** Plain keys made by `npm start` (scripts/start.ts) and handed to the commerce process too. */
  writeKey: string;
  readKey: string;
  dailyQuota?: number;
  rateLimitPerSecond?: number;
}

export type DemoTenantOutcome = { tenant: 'created' | 'existed'; keys: Record<'write' | 'read', 'registered' | 'existed'> };

/**
 * Makes sure the demo tenant exists and accepts the GIVEN plain keys. Idempotent and safe to
 * run at every start (and from several instances at once: the key record's id is derived
 * from its hash, so a repeated registration rewrites the same record).
 * Throws when a given key is malformed, revoked, or already belongs to another tenant or kind:
 * an operator decision is needed then, not a silent fix.
 *
 * @example
 * await ensureDemoTenant({ tenants, store }, { id: 'demo-shop', name: 'Demo shop', timeZone: 'Europe/Paris', writeKey, readKey });
 */
export async function ensureDemoTenant(deps: { tenants: TenantsApi; store: TenantStore }, demo: DemoTenant): Promise<DemoTenantOutcome> {
  let tenant: DemoTenantOutcome['tenant'] = 'existed';
  if (!(await deps.tenants.getTenant(demo.id)).ok) {
    const created = await deps.tenants.createTenant({
      id: demo.id,
      name: demo.name,
      timeZone: demo.timeZone,
      ...(demo.dailyQuota ? { dailyQuota: demo.dailyQuota } : {}),
      ...(demo.rateLimitPerSecond ? { rateLimitPerSecond: demo.rateLimitPerSecond } : {}),
    });
    // Another instance may have created it between the two calls: that is the state we want.
    if (!created.ok && created.error.code !== 'TENANT.ALREADY_EXISTS') throw new Error(`demo tenant: ${created.error.message}`);
    tenant = created.ok ? 'created' : 'existed';
  }
  return {
    tenant,
    keys: {
      write: await registerPlainKey(deps.store, demo.id, 'write', demo.writeKey),
      read: await registerPlainKey(deps.store, demo.id, 'read', demo.readKey),
    },
  };
}

/**
 * Stores a key whose plain value the caller chose. `TenantsApi.createKey` only generates keys
 * (the plain value is shown once), so this goes to the store port directly, hashing exactly as
 * the tenants module does (`hashKey`) so `authenticate` finds it.
 */
export async function registerPlainKey(store: TenantStore, tenantId: string, kind: KeyKind, plain: string): Promise<'registered' | 'existed'> {
  // Same entropy floor as generated keys (prefix + 24 random bytes in base64url = 35 chars).
  if (kindOfKey(plain) !== kind || plain.length < 35 || plain.length > 100) {
    throw new Error(`demo tenant: the ${kind} key must start with ${kind === 'write' ? 'wk_' : 'rk_'} and be 35-100 characters`);
  }
  const hash = hashKey(plain);
  const existing = await store.findKeyByHash(hash);
  if (existing) {
    if (existing.tenantId !== tenantId || existing.kind !== kind) throw new Error(`demo tenant: the ${kind} key already belongs to another tenant or kind`);
    // A revoked demo key stays revoked: an operator did that on purpose.
    if (existing.revokedAt) throw new Error(`demo tenant: the ${kind} key ${existing.hint} was revoked; set a new one`);
    return 'existed';
  }
  const added = await store.addKey({
    id: `key_${hash.slice(0, 16)}`,
    tenantId,
    kind,
    hash,
    hint: `${plain.slice(0, 7)}...`,
    label: 'demo (npm start)',
    createdAt: new Date().toISOString(),
  });
  if (!added.ok) throw new Error(`demo tenant: ${added.error.message}`);
  return 'registered';
}
