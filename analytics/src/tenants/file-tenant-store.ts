import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ApiKeyRecord } from './api-key.ts';
import { fail as err, ok, type Result } from '@shop/platform/result';
import { tenantError, type TenantError } from './tenant.errors.ts';
import type { TenantStore } from './tenant-store.ts';
import type { Tenant } from './tenant.ts';

interface Document {
  version: 1;
  tenants: Record<string, Tenant>;
  /** By key hash, so a request's key is found with one map lookup. */
  keys: Record<string, ApiKeyRecord>;
}

const empty = (): Document => ({ version: 1, tenants: {}, keys: {} });

/**
 * The embedded default: one JSON document, rewritten whole on every change through
 * write-temp + fsync + rename (+ fsync of the directory), so a crash leaves the old or the
 * new document, never half of one. The file is re-read when it changes on disk, so keys
 * created by the CLI while the server runs are seen without a restart.
 * Writers within one process are serialised; two processes writing at the same instant
 * can lose one change (admin operations are rare; Redis is the multi-process store).
 */
export function createFileTenantStore(path: string): TenantStore {
  let doc: Document = empty();
  let seen = '';
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<Document> {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    const version = info ? `${info.mtimeMs}:${info.size}:${info.ino}` : 'absent';
    if (version !== seen) {
      doc = info ? (JSON.parse(await readFile(path, 'utf8')) as Document) : empty();
      seen = version;
    }
    return doc;
  }

  async function save(next: Document): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(JSON.stringify(next, null, 2));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
    const dir = await open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    doc = next;
    seen = '';
  }

  /** Read-modify-write, one at a time; `change` returns the new document or leaves it as is. */
  function mutate<T>(change: (current: Document) => { next?: Document; result: T }): Promise<T> {
    const run = queue.then(async () => {
      const current = structuredClone(await load());
      const { next, result } = change(current);
      if (next) await save(next);
      return result;
    });
    queue = run.catch(() => undefined);
    return run;
  }

  return {
    createTenant: (tenant) =>
      mutate<Result<Tenant, TenantError>>((d) => {
        if (d.tenants[tenant.id]) return { result: err(tenantError('TENANT.ALREADY_EXISTS', `Tenant "${tenant.id}" already exists`)) };
        d.tenants[tenant.id] = tenant;
        return { next: d, result: ok(tenant) };
      }),
    async getTenant(id) {
      return (await load()).tenants[id] ?? null;
    },
    async listTenants() {
      return Object.values((await load()).tenants).sort((a, b) => a.id.localeCompare(b.id));
    },
    async listTenantIds() {
      return Object.keys((await load()).tenants);
    },
    async getTenants(ids) {
      const { tenants } = await load();
      return ids.flatMap((id) => (tenants[id] ? [tenants[id]] : []));
    },
    addKey: (key) =>
      mutate<Result<ApiKeyRecord, TenantError>>((d) => {
        if (!d.tenants[key.tenantId]) return { result: err(tenantError('TENANT.NOT_FOUND', `Tenant "${key.tenantId}" not found`)) };
        d.keys[key.hash] = key;
        return { next: d, result: ok(key) };
      }),
    async listKeys(tenantId) {
      return Object.values((await load()).keys)
        .filter((k) => k.tenantId === tenantId)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    revokeKey: (tenantId, keyId, at) =>
      mutate<Result<ApiKeyRecord, TenantError>>((d) => {
        const key = Object.values(d.keys).find((k) => k.id === keyId && k.tenantId === tenantId);
        if (!key) return { result: err(tenantError('TENANT.KEY_NOT_FOUND', `Key "${keyId}" not found for tenant "${tenantId}"`)) };
        if (key.revokedAt) return { result: ok(key) };
        key.revokedAt = at.toISOString();
        return { next: d, result: ok(key) };
      }),
    async findKeyByHash(hash) {
      return (await load()).keys[hash] ?? null;
    },
    async ping() {
      await load();
    },
    async close() {
      await queue;
    },
  };
}

/** Where the file store lives under DATA_DIR. */
export const tenantFilePath = (dataDir: string): string => join(dataDir, 'analytics', 'tenants.json');
