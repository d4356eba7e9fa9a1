import { describe, expect, it } from 'vitest';
import { parseRawObjectKey } from '../../src/archive/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { createErasureMatcher, erasedIdentities } from '../../src/privacy/index.ts';
import { eraseFromRawStore } from '../../src/erasure/index.ts';
import { createLocalObjectStore } from '../../src/storage/index.ts';
import { objectStoreCases } from '@shop/platform/testing/object-store';
import { dataset, isPersons, OTHER_TENANT, PERSON, recordingStore, snapshot, TENANT, writeArchived } from './privacy.fixture.ts';

const { local, s3, tempDir } = objectStoreCases('raw-rewrite');

const person = createErasureMatcher([
  { tenantId: TENANT, identities: erasedIdentities(TENANT, { userIds: [PERSON.userId, PERSON.aliasedUserId, 'p-anon-3'], anonymousIds: [...PERSON.anonymousIds, PERSON.userId] }) },
]);

for (const { name, open } of [local, s3]) {
  describe(`raw rewrite on ${name}`, () => {
    it("removes exactly the person's lines, leaves every other byte as it was, and is idempotent", async () => {
      const events = dataset();
      const inner = await open();
      await writeArchived(inner, events);
      const before = await snapshot(inner);
      const store = recordingStore(inner);

      const report = await eraseFromRawStore({ store, tenantId: TENANT, matcher: person });

      const removed = events.filter(isPersons);
      expect(report.linesRemoved).toBe(removed.length);
      expect(report.objectsScanned).toBe([...before.keys()].filter((k) => k.startsWith(`raw/tenant=${TENANT}/`)).length);
      expect(report.dates).toEqual(['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12']);
      // The 23:40 page view was alone in its hour: its object is deleted, not left empty.
      const lonely = report.changes.filter((c) => c.deleted);
      expect(lonely.map((c) => parseRawObjectKey(c.key)?.hour)).toEqual(['23']);
      expect(store.deletes).toEqual(lonely.map((c) => c.key));
      expect(store.puts.sort()).toEqual(report.changes.filter((c) => !c.deleted).map((c) => c.key).sort());

      const after = await snapshot(inner);
      for (const [key, bytes] of before) {
        const change = report.changes.find((c) => c.key === key);
        if (!change) {
          expect(after.get(key)?.equals(bytes), `${key} untouched`).toBe(true);
          continue;
        }
        // Expected: the original bytes with the person's lines cut out, nothing else changed.
        const lines = bytes.toString('utf8').split('\n').slice(0, -1);
        const kept = lines.filter((line) => !isPersons(JSON.parse(line) as AnalyticsEvent));
        expect(lines.length - kept.length).toBe(change.linesRemoved);
        if (change.deleted) expect(after.has(key)).toBe(false);
        else expect(after.get(key)!.toString('utf8')).toBe(kept.map((l) => `${l}\n`).join(''));
      }
      expect([...after.keys()].filter((k) => k.includes(`tenant=${OTHER_TENANT}/`)).length).toBeGreaterThan(0);

      // A second run finds nothing and writes nothing.
      const second = recordingStore(inner);
      const again = await eraseFromRawStore({ store: second, tenantId: TENANT, matcher: person });
      expect(again).toMatchObject({ objectsRewritten: 0, linesRemoved: 0, dates: [] });
      expect([...second.puts, ...second.deletes]).toEqual([]);
    }, 60_000);
  });
}

describe('raw rewrite details', () => {
  it('keeps unreadable lines and a last line without a newline byte for byte, and tells beforeWrite first', async () => {
    const store = await createLocalObjectStore(await tempDir('odd'));
    const line = (userId: string) => JSON.stringify({ tenantId: TENANT, messageId: userId, type: 'track', userId, timestamp: '2026-03-10T10:00:00.000Z', receivedAt: '2026-03-10T10:00:00.000Z', properties: {}, context: {}, isBot: false });
    const key = `raw/tenant=${TENANT}/date=2026-03-10/hour=10/p0-000000000000-000000000004.ndjson`;
    await store.put(key, `${line('x')}\nnot json ✓\n${line(PERSON.userId)}\n${line('y')}`);
    const seen: string[] = [];
    const report = await eraseFromRawStore({
      store,
      tenantId: TENANT,
      matcher: person,
      beforeWrite: async (change) => {
        // The object is still the old one when the change is announced.
        seen.push(`${change.key} ${change.linesRemoved} ${Buffer.from((await store.get(change.key))!).includes(PERSON.userId)}`);
      },
    });
    expect(seen).toEqual([`${key} 1 true`]);
    expect(report).toMatchObject({ linesRemoved: 1, unreadableLines: 1, dates: ['2026-03-10'] });
    expect(Buffer.from((await store.get(key))!).toString('utf8')).toBe(`${line('x')}\nnot json ✓\n${line('y')}`);
  });
});
