import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSandboxJournal } from './sandbox-journal.ts';

describe('sandbox journal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'journal-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps concurrent appends, written in groups, in the order they were made, each on disk when it resolves', async () => {
    const path = join(dir, 'journal.jsonl');
    const journal = await openSandboxJournal<{ n: number }>(path);
    const onDisk: number[] = [];
    await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        journal.append({ n }).then(async () => {
          // Resolved means written: the line is in the file already.
          const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
          if (lines.some((l) => (JSON.parse(l) as { n: number }).n === n)) onDisk.push(n);
        }),
      ),
    );
    expect(onDisk).toHaveLength(100);
    expect((await openSandboxJournal<{ n: number }>(path)).records.map((r) => r.n)).toEqual(Array.from({ length: 100 }, (_, n) => n));
  });

  it('starts a fresh line after a torn tail and skips the torn record', async () => {
    const path = join(dir, 'journal.jsonl');
    await writeFile(path, '{"n":0}\n{"n":1');
    const journal = await openSandboxJournal<{ n: number }>(path);
    expect(journal.records).toEqual([{ n: 0 }]);
    await journal.append({ n: 2 });
    expect((await openSandboxJournal<{ n: number }>(path)).records).toEqual([{ n: 0 }, { n: 2 }]);
  });
});
