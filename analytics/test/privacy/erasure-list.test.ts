import { describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import {
  erasedIdentities,
  ErasureRequestCorruptError,
  listErasureRequests,
  loadErasures,
  recordErasure,
  saveErasureRequest,
  watchErasures,
} from '../../src/privacy/index.ts';
import { createLocalObjectStore } from '../../src/storage/index.ts';
import { until } from '../speed/until.ts';
import { snapshot } from './privacy.fixture.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs('erasure-list');
const newStore = async () => createLocalObjectStore(await tempDir());

const ev = (tenantId: string, fields: Partial<AnalyticsEvent>): AnalyticsEvent => ({
  tenantId,
  messageId: 'm',
  type: 'track',
  timestamp: '2026-03-10T10:00:00.000Z',
  receivedAt: '2026-03-10T10:00:00.000Z',
  properties: {},
  context: {},
  isBot: false,
  ...fields,
});

describe('erasure list', () => {
  it('keeps SHA-256 digests and request metadata, never the ids', async () => {
    const store = await newStore();
    const request = await recordErasure(store, 'acme', erasedIdentities('acme', { userIds: ['jane@example.com'], anonymousIds: ['anon-77'] }), () => new Date('2026-03-12T00:00:00Z'));
    expect(request).toMatchObject({ tenantId: 'acme', status: 'pending', requestedAt: '2026-03-12T00:00:00.000Z' });
    expect(request.identities.map((i) => i.kind).sort()).toEqual(['anonymous', 'user']);
    for (const i of request.identities) expect(i.digest).toMatch(/^[0-9a-f]{64}$/);
    const stored = [...(await snapshot(store)).entries()];
    expect(stored.map(([key]) => key)).toEqual([`erasures/tenant=acme/${request.id}.json`]);
    expect(stored[0]![1].toString()).not.toMatch(/jane|anon-77/);
    // Same tenant and ids: the same request, not a second one.
    const again = await recordErasure(store, 'acme', erasedIdentities('acme', { anonymousIds: ['anon-77'], userIds: ['jane@example.com'] }));
    expect(again.id).toBe(request.id);
    expect(await listErasureRequests(store)).toHaveLength(1);
  });

  it('matches userId, anonymousId and an alias previousId of the erased tenant only', async () => {
    const store = await newStore();
    await recordErasure(store, 'acme', erasedIdentities('acme', { userIds: ['u-1'], anonymousIds: ['a-1'] }));
    await recordErasure(store, 'initech', erasedIdentities('initech', { userIds: ['u-9'] }));
    const matcher = await loadErasures(store);
    expect(matcher.size).toBe(3);
    expect(matcher.isErased(ev('acme', { userId: 'u-1' }))).toBe(true);
    expect(matcher.isErased(ev('acme', { anonymousId: 'a-1' }))).toBe(true);
    expect(matcher.isErased(ev('acme', { userId: 'u-2', anonymousId: 'a-1' }))).toBe(true);
    expect(matcher.isErased(ev('acme', { type: 'alias', previousId: 'a-1', userId: 'u-3' }))).toBe(true);
    expect(matcher.isErased(ev('acme', { type: 'alias', previousId: 'u-1', userId: 'u-3' }))).toBe(true);
    // Ids are typed: an anonymousId that equals an erased userId is someone else.
    expect(matcher.isErased(ev('acme', { anonymousId: 'u-1' }))).toBe(false);
    expect(matcher.isErased(ev('acme', { userId: 'u-2', anonymousId: 'a-2' }))).toBe(false);
    expect(matcher.isErased(ev('globex', { userId: 'u-1' }))).toBe(false);
    expect(matcher.isErased(ev('initech', { userId: 'u-9' }))).toBe(true);
    expect((await loadErasures(store, 'acme')).isErased(ev('initech', { userId: 'u-9' }))).toBe(false);
  });

  it('refuses an erasure of nobody and reports an unreadable request', async () => {
    const store = await newStore();
    await expect(recordErasure(store, 'acme', [])).rejects.toThrow(RangeError);
    await recordErasure(store, 'acme', erasedIdentities('acme', { userIds: ['u-1'] }));
    await store.put('erasures/tenant=acme/er-broken.json', '{"version":1}');
    // Whoever decides who is erased fails closed; a lister may skip and report instead.
    await expect(listErasureRequests(store)).rejects.toBeInstanceOf(ErasureRequestCorruptError);
    const unreadable: string[] = [];
    expect(await listErasureRequests(store, 'acme', { onUnreadable: (key) => unreadable.push(key) })).toHaveLength(1);
    expect(unreadable).toEqual(['erasures/tenant=acme/er-broken.json']);
  });

  it('a save from a stale copy merges with the stored request: identities and steps are never lost', async () => {
    const store = await newStore();
    const stale = await recordErasure(store, 'acme', erasedIdentities('acme', { userIds: ['jane'] }));
    const staleCopy = structuredClone(stale);
    // Another worker expands and completes the request...
    const other = structuredClone(stale);
    other.identities = erasedIdentities('acme', { userIds: ['jane'], anonymousIds: ['laptop', 'phone'] });
    Object.assign(other, { expandedAt: '2026-03-10T10:00:00.000Z', rewrittenAt: '2026-03-10T10:01:00.000Z', status: 'done', dates: ['2026-03-09'] });
    await saveErasureRequest(store, other);
    // ...then the stale worker saves its own view (found nothing to link: the lines are gone).
    staleCopy.expandedAt = '2026-03-10T10:02:00.000Z';
    await saveErasureRequest(store, staleCopy);
    const [stored] = await listErasureRequests(store, 'acme');
    expect(stored!.identities).toEqual(other.identities);
    expect(stored).toMatchObject({ status: 'done', rewrittenAt: '2026-03-10T10:01:00.000Z', dates: ['2026-03-09'] });
    expect((await loadErasures(store)).isErased(ev('acme', { anonymousId: 'phone' }))).toBe(true);
  });

  it('a watcher sees a new erasure after sync(), and by itself after its poll interval', async () => {
    const store = await newStore();
    // A poll that never fires during the test, so sync()'s "changed" answer is its own read's.
    const manual = await watchErasures({ store, intervalMs: 3_600_000 });
    const jane = ev('acme', { userId: 'jane' });
    try {
      expect(manual.isErased(jane)).toBe(false);
      await recordErasure(store, 'acme', erasedIdentities('acme', { userIds: ['jane'] }));
      expect(await manual.sync()).toBe(true);
      expect(manual.isErased(jane)).toBe(true);
      expect(await manual.sync()).toBe(false);
    } finally {
      await manual.stop();
    }
    const watcher = await watchErasures({ store, intervalMs: 20 });
    try {
      const joe = ev('acme', { userId: 'joe' });
      expect(watcher.isErased(jane)).toBe(true);
      await recordErasure(store, 'acme', erasedIdentities('acme', { userIds: ['joe'] }));
      await until('the poll picks up the erasure', () => watcher.isErased(joe));
      // Concurrent syncs share reads and each still sees what was recorded before it was called.
      await recordErasure(store, 'acme', erasedIdentities('acme', { userIds: ['jim'] }));
      await Promise.all([watcher.sync(), watcher.sync(), watcher.sync()]);
      expect(watcher.isErased(ev('acme', { userId: 'jim' }))).toBe(true);
    } finally {
      await watcher.stop();
    }
  });
});
