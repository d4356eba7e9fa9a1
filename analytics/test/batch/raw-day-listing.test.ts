import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LakeStore } from '../../src/batch/index.ts';
import { dayRaw } from '../../src/batch/raw-manifest.ts';
import { localObjectStore } from '../../src/storage/index.ts';

const put = (lake: LakeStore, key: string) => lake.put(key, Buffer.from('{}\n'));

describe("a local lake's day listing", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('lists what the store lists, and each listing sees the objects and markers written since the last', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'raw-day-listing-'));
    dirs.push(dir);
    const local = localObjectStore(dir);
    // The same store seen through its port only: what any other store's listing gives.
    const port: LakeStore = { list: (p) => local.list(p), get: (k) => local.get(k), put: (k, b) => local.put(k, b) };
    const day = 'raw/tenant=acme/date=2026-11-02';
    const both = async () => [await dayRaw(local, 'acme', '2026-11-02'), await dayRaw(port, 'acme', '2026-11-02')] as const;

    expect((await dayRaw(local, 'acme', '2026-11-02')).manifest.objects).toBe(0);
    await put(local, `${day}/hour=03/p0-000000000000-000000000040.ndjson`);
    await put(local, `${day}/hour=04/p0-000000000040-000000000080.ndjson`);
    await put(local, 'raw/tenant=acme/date=2026-11-03/hour=00/p0-000000000080-000000000090.ndjson');
    await put(local, 'raw/tenant=acme2/date=2026-11-02/hour=00/p0-000000000000-000000000009.ndjson');
    // Dot names are never keys (a store's temporaries), whatever they end with.
    await writeFile(join(dir, day, 'hour=04', '.p0-000000000080-000000000090.ndjson'), '{}\n');
    const [first, seenByPort] = await both();
    expect(first).toEqual(seenByPort);
    expect(first.objects).toEqual([`${day}/hour=03/p0-000000000000-000000000040.ndjson`, `${day}/hour=04/p0-000000000040-000000000080.ndjson`]);

    // A late object in an hour folder listed before, then one in a new hour folder: each is in the next listing.
    await put(local, `${day}/hour=04/p0-000000000090-000000000091.ndjson`);
    const [late, lateByPort] = await both();
    expect(late).toEqual(lateByPort);
    expect(late.manifest.sha256).not.toBe(first.manifest.sha256);
    expect(late.objects).toHaveLength(3);
    await put(local, `${day}/hour=23/p0-000000000091-000000000092.ndjson`);
    const [newHour, newHourByPort] = await both();
    expect(newHour).toEqual(newHourByPort);
    expect(newHour.objects).toHaveLength(4);

    // An erasure rewrites objects in place and announces it with a marker: the manifest changes, the objects do not.
    await put(local, `${day}/hour=03/p0-000000000000-000000000040.rewritten`);
    const [rewritten, rewrittenByPort] = await both();
    expect(rewritten).toEqual(rewrittenByPort);
    expect(rewritten.objects).toEqual(newHour.objects);
    expect(rewritten.manifest.sha256).not.toBe(newHour.manifest.sha256);
  });
});
