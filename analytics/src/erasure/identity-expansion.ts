import type { AnalyticsEvent } from '../contracts/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { identityDigest, type ErasedIdentity } from '../privacy/index.ts';
import { forEachLimited, lineRanges, rawObjectKeysOf } from './raw-objects.ts';

export interface ExpandIdentitiesOptions {
  store: ObjectStore;
  tenantId: string;
  userIds?: readonly string[];
  anonymousIds?: readonly string[];
  /**
   * Ids known only by their digests (a recorded request resumed after a restart: the list
   * keeps no plain id). The first pass then parses every line and takes in the ids whose
   * digests match, so it costs what a rewrite pass costs instead of a substring scan.
   */
  identities?: readonly ErasedIdentity[];
  /** Raw objects read at once. Default 4. */
  concurrency?: number;
  /** Stops between objects (what was done is recorded by the caller). */
  signal?: AbortSignal;
}

export interface ExpandedIdentities {
  userIds: string[];
  anonymousIds: string[];
  /** Raw objects read (over every pass). */
  objectsScanned: number;
}

/**
 * The person's ids as far as the tenant's raw events link them, so an erasure also covers what
 * they did before logging in:
 *  - every anonymousId that appears on an event together with one of the person's userIds
 *    (identify events, and any event carrying both);
 *  - alias events join previousId and userId (Segment's "these are the same person"), in both
 *    directions and transitively; a previousId may be an anonymous or a former user id, so it
 *    is taken as both.
 * An anonymousId seen with someone else's userId does NOT pull that user in: a shared device is
 * not a shared person. Only alias, which states the identity, links ids beyond the given ones.
 *
 * One pass reads every line naming a known id or of type alias (a substring test first, JSON
 * parsing only for candidates); another pass runs only when an alias brought in new user ids.
 *
 * @example
 * const { anonymousIds } = await expandIdentities({ store, tenantId: 'acme', userIds: ['u-42'] });
 */
export async function expandIdentities(options: ExpandIdentitiesOptions): Promise<ExpandedIdentities> {
  const { store, tenantId } = options;
  const concurrency = options.concurrency ?? 4;
  const users = new Set(options.userIds ?? []);
  const anonymous = new Set(options.anonymousIds ?? []);
  const aliases: Array<[string, string]> = [];
  const keys = await rawObjectKeysOf(store, tenantId);
  let objectsScanned = 0;

  /** Adds the anonymousIds seen with `searched` users; collects alias edges when asked to. */
  const digests = new Set((options.identities ?? []).map((i) => `${i.kind}:${i.digest}`));
  // Ids repeat (a user's every event): each is hashed once per kind.
  const seen = { user: new Map<string, boolean>(), anonymous: new Map<string, boolean>() };
  const matches = (kind: ErasedIdentity['kind'], id: unknown): id is string => {
    if (typeof id !== 'string' || id === '') return false;
    let hit = seen[kind].get(id);
    if (hit === undefined) {
      hit = digests.has(`${kind}:${identityDigest(tenantId, kind, id)}`);
      if (seen[kind].size >= 100_000) seen[kind].clear(); // bounded memory on tenants with millions of ids
      seen[kind].set(id, hit);
    }
    return hit;
  };
  /** Takes in the plain ids of an event that match a digest (first pass of a resumed request). */
  const adoptDigestMatches = (event: AnalyticsEvent) => {
    if (matches('user', event.userId)) users.add(event.userId);
    if (matches('anonymous', event.anonymousId)) anonymous.add(event.anonymousId);
    if (event.type === 'alias' && matches('user', event.previousId)) users.add(event.previousId);
    if (event.type === 'alias' && matches('anonymous', event.previousId)) anonymous.add(event.previousId);
  };

  const pass = async (searched: ReadonlySet<string>, collectAliases: boolean, byDigest: boolean) => {
    const needles = [...searched].map((id) => Buffer.from(JSON.stringify(id)));
    const aliasNeedle = Buffer.from('"type":"alias"');
    await forEachLimited(keys, concurrency, async (key) => {
      const body = await store.get(key);
      if (!body) return;
      objectsScanned++;
      const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
      for (const { start, end } of lineRanges(bytes)) {
        const line = bytes.subarray(start, end);
        const isAlias = collectAliases && line.includes(aliasNeedle);
        if (!byDigest && !isAlias && !needles.some((n) => line.includes(n))) continue;
        let event: AnalyticsEvent;
        try {
          event = JSON.parse(line.toString('utf8')) as AnalyticsEvent;
        } catch {
          continue;
        }
        if (event.tenantId !== tenantId) continue;
        if (byDigest) adoptDigestMatches(event);
        if (isAlias && event.type === 'alias' && typeof event.previousId === 'string' && typeof event.userId === 'string') {
          aliases.push([event.previousId, event.userId]);
        }
        if (typeof event.userId === 'string' && searched.has(event.userId) && typeof event.anonymousId === 'string' && event.anonymousId !== '') {
          anonymous.add(event.anonymousId);
        }
      }
    }, options.signal);
  };

  await pass(users, true, digests.size > 0);
  // Every alias edge is known after the first pass; later passes only fetch the anonymousIds of
  // users an alias brought in, whose anonymousIds may in turn be the previousId of another alias.
  for (;;) {
    const added = aliasClosure(aliases, users, anonymous);
    if (added.size === 0) break;
    await pass(added, false, false);
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return { userIds: sorted(users), anonymousIds: sorted(anonymous), objectsScanned };
}

/** Grows `users` and `anonymous` along alias edges (each edge: the same person under two names); returns the user ids it added. */
function aliasClosure(aliases: ReadonlyArray<readonly [string, string]>, users: Set<string>, anonymous: Set<string>): Set<string> {
  const added = new Set<string>();
  const known = (id: string) => users.has(id) || anonymous.has(id);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [previous, user] of aliases) {
      if (!known(previous) && !known(user)) continue;
      for (const [id, asAnonymous] of [[user, false], [previous, true]] as const) {
        if (!users.has(id)) {
          users.add(id);
          added.add(id);
          grew = true;
        }
        if (asAnonymous && !anonymous.has(id)) {
          anonymous.add(id);
          grew = true;
        }
      }
    }
  }
  return added;
}
