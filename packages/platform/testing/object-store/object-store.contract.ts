import { describe, expect, it } from 'vitest';
import { InvalidObjectKeyError, type ObjectStore } from '../../src/object-store/object-store.ts';

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));

/**
 * The behaviour every `ObjectStore` adapter promises. `open` returns a store with no objects
 * (a fresh directory, a fresh bucket); each test opens its own.
 */
export function objectStoreContract(
  name: string,
  open: () => Promise<ObjectStore>,
  /** Set when the server behind the adapter cannot keep the atomic-put promise (s3rver writes objects in place). */
  options: { atomicPutUnsupportedBy?: string } = {},
): void {
  describe(`ObjectStore contract: ${name}`, () => {
    it('answers null for a missing object and ignores deleting one', async () => {
      const store = await open();
      expect(await store.get('raw/missing.ndjson')).toBeNull();
      expect(await store.head('raw/missing.ndjson')).toBeNull();
      await store.delete('raw/missing.ndjson');
      expect(await store.list('')).toEqual([]);
      await store.close();
    });

    it('round-trips strings and bytes exactly, replaces on put and reports the size', async () => {
      const store = await open();
      const line = '{"note":"ünïcødé ✓ 🎉"}\n';
      await store.put('raw/tenant=acme/a.ndjson', line);
      expect(text(await store.get('raw/tenant=acme/a.ndjson'))).toBe(line);
      expect(await store.head('raw/tenant=acme/a.ndjson')).toEqual({ size: Buffer.byteLength(line) });
      const bytes = Uint8Array.from([0, 1, 2, 255, 10]);
      await store.put('raw/tenant=acme/a.ndjson', bytes);
      expect(Buffer.from((await store.get('raw/tenant=acme/a.ndjson'))!).equals(Buffer.from(bytes))).toBe(true);
      expect(await store.head('raw/tenant=acme/a.ndjson')).toEqual({ size: 5 });
      await store.put('empty', '');
      expect(await store.get('empty')).toEqual(new Uint8Array());
      await store.close();
    });

    it('lists keys by plain string prefix, sorted, across any depth', async () => {
      const store = await open();
      const keys = ['raw/b/2', 'raw/a/10', 'raw/a/1', 'raw/ab', 'rawx', 'other/1', 'raw/a/9/deep/x'];
      for (const key of keys) await store.put(key, key);
      expect(await store.list('')).toEqual(['other/1', 'raw/a/1', 'raw/a/10', 'raw/a/9/deep/x', 'raw/ab', 'raw/b/2', 'rawx']);
      expect(await store.list('raw/')).toEqual(['raw/a/1', 'raw/a/10', 'raw/a/9/deep/x', 'raw/ab', 'raw/b/2']);
      expect(await store.list('raw/a')).toEqual(['raw/a/1', 'raw/a/10', 'raw/a/9/deep/x', 'raw/ab']);
      expect(await store.list('raw/a/')).toEqual(['raw/a/1', 'raw/a/10', 'raw/a/9/deep/x']);
      expect(await store.list('raw/a/1')).toEqual(['raw/a/1', 'raw/a/10']);
      expect(await store.list('raw/a/1/')).toEqual([]);
      expect(await store.list('nothing/')).toEqual([]);
      await store.close();
    });

    it('lists more keys than one page holds', async () => {
      const store = await open();
      const keys = Array.from({ length: 25 }, (_, i) => `many/k${String(i).padStart(3, '0')}`);
      for (const key of keys) await store.put(key, 'x');
      expect(await store.list('many/')).toEqual(keys);
      await store.close();
    });

    it('deletes: the object is gone from get, head and list; others stay', async () => {
      const store = await open();
      await store.put('d/one', '1');
      await store.put('d/two', '2');
      await store.delete('d/one');
      expect(await store.get('d/one')).toBeNull();
      expect(await store.head('d/one')).toBeNull();
      expect(await store.list('d/')).toEqual(['d/two']);
      await store.close();
    });

    it('rejects keys that could escape the store or collide with its own files', async () => {
      const store = await open();
      for (const key of ['', '/abs', 'a//b', '../up', 'a/../b', '.hidden', 'a/.tmp', 'trailing/']) {
        await expect(store.put(key, 'x'), key).rejects.toBeInstanceOf(InvalidObjectKeyError);
      }
      expect(await store.list('')).toEqual([]);
      await store.close();
    });

    // Real S3 guarantees it for a single PutObject (all the S3 adapter sends); test emulators may not.
    it.skipIf(options.atomicPutUnsupportedBy !== undefined)(`never shows a reader part of an object while it is being put${
      options.atomicPutUnsupportedBy ? ` (not kept by ${options.atomicPutUnsupportedBy})` : ''
    }`, async () => {
      const store = await open();
      const key = 'atomic/big.ndjson';
      const size = 8 * 1024 * 1024;
      const versions = [Buffer.alloc(size, 'a'), Buffer.alloc(size + 4096, 'b'), Buffer.alloc(size - 4096, 'c')];
      const seen = new Set<string>();
      let writing = true;
      let firstPutDone = false;
      const reader = (async () => {
        let reads = 0;
        while (writing || reads < 3) {
          const bytes = await store.get(key);
          reads++;
          if (bytes === null) {
            // Absent only before the first put: a put never removes the previous object first.
            expect(firstPutDone, `read ${reads}: object missing after it was put`).toBe(false);
            seen.add('null');
            continue;
          }
          const buffer = Buffer.from(bytes);
          const match = versions.findIndex((v) => v.equals(buffer));
          // A partial object is never a full version: its length or a byte differs.
          expect(match, `read ${reads}: ${buffer.length} bytes starting ${buffer.subarray(0, 1).toString()}`).toBeGreaterThanOrEqual(0);
          seen.add(String(match));
        }
      })();
      for (const version of [...versions, ...versions]) {
        await store.put(key, version);
        firstPutDone = true;
      }
      writing = false;
      await reader;
      expect(Buffer.from((await store.get(key))!).equals(versions[2]!)).toBe(true);
      expect(seen.size).toBeGreaterThan(0);
      await store.close();
    }, 60_000);
  });
}
