import { describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { erasedIdentities } from '../../src/privacy/index.ts';
import { expandIdentities } from '../../src/erasure/index.ts';
import { createLocalObjectStore } from '../../src/storage/index.ts';
import { dataset, PERSON, TENANT, writeArchived } from './privacy.fixture.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs('identity-expansion');
const newStore = async () => createLocalObjectStore(await tempDir());

const at = (i: number) => new Date(Date.UTC(2026, 2, 10, 10, i)).toISOString();
const ev = (i: number, fields: Partial<AnalyticsEvent>): AnalyticsEvent => ({
  tenantId: 'acme',
  messageId: `m-${i}`,
  type: 'page',
  timestamp: at(i),
  receivedAt: at(i),
  properties: {},
  context: {},
  isBot: false,
  ...fields,
});

describe('identity expansion', () => {
  it('finds the anonymousIds linked to a user by identify, by events carrying both, and by alias chains', async () => {
    const store = await newStore();
    await writeArchived(store, dataset());
    const found = await expandIdentities({ store, tenantId: TENANT, userIds: [PERSON.userId] });
    expect(found.userIds).toEqual([PERSON.userId, PERSON.aliasedUserId, 'p-anon-3'].sort());
    // A previousId may be a former userId or an anonymousId: taken as both.
    expect(found.anonymousIds).toEqual([...PERSON.anonymousIds, PERSON.userId].sort());
    expect(found.objectsScanned).toBeGreaterThan(10);
  });

  it('does not pull in another user who shared a device, nor ids of another tenant', async () => {
    const store = await newStore();
    await writeArchived(store, [
      ev(1, { type: 'identify', userId: 'jane', anonymousId: 'laptop' }),
      ev(2, { userId: 'joe', anonymousId: 'laptop' }),
      ev(3, { userId: 'joe', anonymousId: 'joes-phone' }),
      ev(4, { tenantId: 'globex', userId: 'jane', anonymousId: 'globex-device' }),
      // The id in a property is not a link.
      ev(5, { userId: 'kim', anonymousId: 'kims-phone', properties: { note: 'jane' } }),
    ]);
    const found = await expandIdentities({ store, tenantId: 'acme', userIds: ['jane'] });
    expect(found).toMatchObject({ userIds: ['jane'], anonymousIds: ['laptop'] });
  });

  it('starting from an anonymousId, follows aliases only (an alias states the identity; a shared event does not)', async () => {
    const store = await newStore();
    await writeArchived(store, [
      ev(1, { anonymousId: 'device-1' }),
      ev(2, { userId: 'jane', anonymousId: 'device-1' }),
      ev(3, { type: 'alias', previousId: 'device-2', userId: 'kim' }),
      ev(4, { userId: 'kim', anonymousId: 'device-3' }),
      // An alias found only through the ids the previous alias brought in: needs a further pass.
      ev(5, { type: 'alias', previousId: 'device-3', userId: 'kim-2' }),
      ev(6, { userId: 'kim-2', anonymousId: 'device-4' }),
    ]);
    expect(await expandIdentities({ store, tenantId: 'acme', anonymousIds: ['device-1'] })).toMatchObject({ userIds: [], anonymousIds: ['device-1'] });
    expect(await expandIdentities({ store, tenantId: 'acme', anonymousIds: ['device-2'] })).toMatchObject({
      userIds: ['device-2', 'device-3', 'kim', 'kim-2'],
      anonymousIds: ['device-2', 'device-3', 'device-4'],
    });
  });

  it('a request known only by digests (resumed after a restart) expands to the same ids', async () => {
    const store = await newStore();
    await writeArchived(store, [
      ...dataset(),
      ev(1, { type: 'alias', previousId: 'device-2', userId: 'kim' }),
      ev(2, { userId: 'kim', anonymousId: 'device-3' }),
    ]);
    for (const ids of [{ userIds: [PERSON.userId] }, { anonymousIds: ['device-2'] }, { userIds: ['kim'], anonymousIds: ['nobody-seen'] }]) {
      const plain = await expandIdentities({ store, tenantId: TENANT, ...ids });
      const byDigest = await expandIdentities({ store, tenantId: TENANT, identities: erasedIdentities(TENANT, ids) });
      // Ids never seen in the raw store cannot be recovered from a digest (and need not be: nothing to erase).
      const seen = (list: string[]) => list.filter((id) => id !== 'nobody-seen');
      expect({ userIds: byDigest.userIds, anonymousIds: byDigest.anonymousIds }).toEqual({ userIds: seen(plain.userIds), anonymousIds: seen(plain.anonymousIds) });
      expect(byDigest.userIds.length + byDigest.anonymousIds.length).toBeGreaterThan(0);
    }
  });
});
