import { describe, expect, it } from 'vitest';
import { keptUntilNotice } from './kept-until-notice.ts';

/** A database whose only part is LISTEN: `notify` plays a commit's notice (or the listener's reconnect). */
function noticeBoard() {
  const handlers = new Map<string, (payload: string) => void>();
  return {
    listen: async (channel: string, onNotify: (payload: string) => void) => {
      handlers.set(channel, onNotify);
      return async () => void handlers.delete(channel);
    },
    notify: (channel: string) => handlers.get(channel)?.(''),
  };
}

describe('values kept until a change notice', () => {
  it('reads every time until it listens; then once, until a notice on its channel', async () => {
    const board = noticeBoard();
    const kept = keptUntilNotice<string>({ channel: 'changed', maxAgeMs: 60_000 });
    let reads = 0;
    const load = async () => `v${++reads}`;
    await kept.get('k', load);
    await kept.get('k', load);
    expect(reads).toBe(2);
    await kept.listen(board);
    expect(await kept.get('k', load)).toBe('v3');
    expect(await kept.get('k', load)).toBe('v3');
    board.notify('elsewhere');
    expect(await kept.get('k', load)).toBe('v3');
    board.notify('changed');
    expect(await kept.get('k', load)).toBe('v4');
    await kept.stop();
    expect(await kept.get('k', load)).toBe('v5');
    expect(await kept.get('k', load)).toBe('v6');
  });

  it('a read that started before a notice is answered but not kept', async () => {
    const board = noticeBoard();
    const kept = keptUntilNotice<string>({ channel: 'changed', maxAgeMs: 60_000 });
    await kept.listen(board);
    let release!: (v: string) => void;
    const slow = kept.get('k', () => new Promise<string>((r) => (release = r)));
    board.notify('changed');
    release('before the write');
    expect(await slow).toBe('before the write');
    expect(await kept.get('k', async () => 'after the write')).toBe('after the write');
  });

  it('keeps keys read and not found as absent, reads only the missing ones, and forgets after maxAgeMs', async () => {
    const board = noticeBoard();
    let at = 0;
    const kept = keptUntilNotice<string>({ channel: 'changed', maxAgeMs: 1_000, now: () => at });
    await kept.listen(board);
    const asked: string[][] = [];
    const load = async (missing: string[]) => {
      asked.push(missing);
      return new Map(missing.filter((k) => k !== 'none').map((k) => [k, `class of ${k}`]));
    };
    expect(await kept.getMany(['a', 'none'], load)).toEqual(new Map([['a', 'class of a']]));
    expect(await kept.getMany(['a', 'none', 'b'], load)).toEqual(new Map([['a', 'class of a'], ['b', 'class of b']]));
    expect(asked).toEqual([['a', 'none'], ['b']]);
    at = 1_000;
    await kept.getMany(['a', 'none', 'b'], load);
    expect(asked.at(-1)).toEqual(['a', 'none', 'b']);
  });
});
