import type { Database } from './database.ts';

/**
 * Rows every checkout reads and staff rarely change (automatic promotions, products' tax classes),
 * kept in this process until the owning module's table announces a change: a trigger sends a
 * NOTIFY on `channel` at the commit of whichever transaction wrote, from any instance or from an
 * operator's SQL. The listener clears everything, and clears again after reconnecting (notices sent
 * while it was away are lost). `maxAgeMs` bounds what no notice covers.
 *
 * Nothing is kept until `listen` has run: a module used without its start (tests, tools) reads
 * every time. A read that started before a clear is answered but not kept: it may predate the write.
 * A key read and not found is kept as absent, so "no row" costs no statement either.
 */
export interface KeptUntilNotice<V> {
  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined>;
  /** The values found for `keys`; those not held are read together by `load`, which answers the ones it finds. */
  getMany(keys: readonly string[], load: (missing: string[]) => Promise<ReadonlyMap<string, V>>): Promise<Map<string, V>>;
  listen(db: Pick<Database, 'listen'>): Promise<void>;
  stop(): Promise<void>;
  clear(): void;
}

export function keptUntilNotice<V>(options: { channel: string; maxAgeMs: number; maxEntries?: number; now?: () => number }): KeptUntilNotice<V> {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 20_000;
  const entries = new Map<string, { value: V | undefined; expires: number }>();
  let generation = 0;
  let unlisten: (() => Promise<void>) | null = null;

  const held = (key: string, at: number) => {
    const hit = entries.get(key);
    return hit && hit.expires > at ? hit : undefined;
  };
  const keep = (started: number, key: string, value: V | undefined) => {
    if (unlisten === null || started !== generation) return;
    if (entries.size >= maxEntries) entries.clear(); // crude bound: keys come from carts
    entries.set(key, { value, expires: now() + options.maxAgeMs });
  };
  const clear = () => {
    generation++;
    entries.clear();
  };

  return {
    async get(key, load) {
      const hit = held(key, now());
      if (hit) return hit.value;
      const started = generation;
      const value = await load();
      keep(started, key, value);
      return value;
    },
    async getMany(keys, load) {
      const found = new Map<string, V>();
      const missing: string[] = [];
      const at = now();
      for (const key of keys) {
        const hit = held(key, at);
        if (!hit) missing.push(key);
        else if (hit.value !== undefined) found.set(key, hit.value);
      }
      if (missing.length === 0) return found;
      const started = generation;
      const loaded = await load(missing);
      for (const key of missing) {
        const value = loaded.get(key);
        keep(started, key, value);
        if (value !== undefined) found.set(key, value);
      }
      return found;
    },
    async listen(db) {
      if (unlisten) return;
      unlisten = await db.listen(options.channel, clear);
    },
    async stop() {
      const stopping = unlisten;
      unlisten = null;
      clear();
      await stopping?.();
    },
    clear,
  };
}

/** A trigger function `fn` (schema-qualified) that announces a change on `channel` at the commit of the writing transaction. */
export const announcingFunction = (fn: string, channel: string) => `
create function ${fn}() returns trigger language plpgsql as $$
begin
  perform pg_notify('${channel}', '');
  return null;
end
$$;`;
