import { describe, expect, it } from 'vitest';
import { readWriteKey } from './write-key.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('readWriteKey', () => {
  it('reads the Basic user and ignores the password', () => {
    expect(readWriteKey(`Basic ${b64('wk_abc:')}`, undefined)).toBe('wk_abc');
    expect(readWriteKey(`basic ${b64('wk_abc:ignored')}`, undefined)).toBe('wk_abc');
    expect(readWriteKey(`Basic ${b64('wk_abc')}`, undefined)).toBe('wk_abc');
  });

  it('prefers the header over the body, and reads the body without a header', () => {
    expect(readWriteKey(`Basic ${b64('wk_header:')}`, { writeKey: 'wk_body' })).toBe('wk_header');
    expect(readWriteKey(undefined, { writeKey: 'wk_body' })).toBe('wk_body');
  });

  it('tells a missing key (undefined) from an unreadable one (null)', () => {
    expect(readWriteKey(undefined, {})).toBeUndefined();
    expect(readWriteKey(undefined, 'string body')).toBeUndefined();
    expect(readWriteKey('Bearer token', undefined)).toBeNull();
    expect(readWriteKey(`Basic ${b64(':password-only')}`, undefined)).toBeNull();
    expect(readWriteKey(undefined, { writeKey: 42 })).toBeNull();
    expect(readWriteKey(undefined, { writeKey: '' })).toBeNull();
  });
});
