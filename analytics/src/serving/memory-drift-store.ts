import { DEFAULT_DRIFT_RETENTION_MS, compareDrift, type DriftRecord, type DriftStore } from './drift-store.ts';

export function createMemoryDriftStore(options: { retentionMs?: number; now?: () => number } = {}): DriftStore {
  const retentionMs = options.retentionMs ?? DEFAULT_DRIFT_RETENTION_MS;
  const now = options.now ?? Date.now;
  // tenant → "metric|bucket" → record
  const tenants = new Map<string, Map<string, DriftRecord>>();
  return {
    async save(records) {
      for (const r of records) {
        let byKey = tenants.get(r.tenantId);
        if (!byKey) tenants.set(r.tenantId, (byKey = new Map()));
        byKey.set(`${r.metric}|${r.bucket}`, { ...r });
      }
      const horizon = now() - retentionMs;
      for (const byKey of tenants.values()) for (const [key, r] of byKey) if (r.bucket < horizon) byKey.delete(key);
    },
    async list(tenantId, query) {
      const horizon = now() - retentionMs;
      return [...(tenants.get(tenantId)?.values() ?? [])]
        .filter((r) => r.bucket >= query.from && r.bucket < query.to && r.bucket >= horizon && (!query.flaggedOnly || r.flagged))
        .map((r) => ({ ...r }))
        .sort(compareDrift);
    },
    async close() {},
  };
}
