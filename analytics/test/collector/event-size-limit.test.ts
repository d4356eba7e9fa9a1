import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { basic, startTestApp, type TestApp } from './support/test-app.ts';

const LIMIT = 400;
let t: TestApp;
let key: string;
beforeEach(async () => {
  t = await startTestApp({ env: { ANALYTICS_MAX_EVENT_BYTES: String(LIMIT) } });
  key = await t.tenantWithKey({ id: 'acme' });
});
afterEach(() => t.cleanup());

const post = (url: string, text: string | Buffer) =>
  t.app.server.inject({ method: 'POST', url, payload: text, headers: { authorization: basic(key), 'content-type': 'application/json' } });
const accepted = () => t.log.records().map((r) => r.value.messageId);

/** A track message of exactly `bytes` bytes as JSON.stringify writes it, padded with two- and three-byte characters. */
function messageOf(bytes: number, messageId: string): Record<string, unknown> {
  const message = { messageId, userId: 'u1', event: 'Sized', properties: { pad: '' } };
  let missing = bytes - Buffer.byteLength(JSON.stringify(message));
  let pad = '';
  for (; missing >= 3 && missing !== 4; missing -= 3) pad += '€';
  for (; missing >= 2; missing -= 2) pad += 'é';
  message.properties.pad = pad + 'x'.repeat(missing);
  expect(Buffer.byteLength(JSON.stringify(message))).toBe(bytes);
  return message;
}

describe('collector: the per-event size limit', () => {
  it('takes an event of exactly the limit in multi-byte characters and refuses one byte more, sent alone or in a batch', async () => {
    const atLimit = messageOf(LIMIT, 'at-limit');
    const over = messageOf(LIMIT + 1, 'over');
    expect(JSON.stringify(over).length).toBeLessThan(LIMIT);

    expect((await post('/v1/track', JSON.stringify(atLimit))).statusCode).toBe(200);
    const single = await post('/v1/track', JSON.stringify(over));
    expect(single.statusCode).toBe(400);
    expect(single.json().rejected).toEqual([{ index: 0, messageId: 'over', code: 'EVENT_TOO_LARGE', reason: `event 0 is ${LIMIT + 1} bytes; the limit is ${LIMIT} bytes per event` }]);

    // Each element with its `type` is one message: the padding makes room for those bytes.
    const typed = (bytes: number, id: string) => ({ type: 'track', ...messageOf(bytes - '"type":"track",'.length, id) });
    const batch = await post('/v1/batch', JSON.stringify({ batch: [typed(LIMIT, 'b-at'), typed(LIMIT + 1, 'b-over')] }));
    expect(batch.json().rejected).toEqual([{ index: 1, messageId: 'b-over', code: 'EVENT_TOO_LARGE', reason: `event 1 is ${LIMIT + 1} bytes; the limit is ${LIMIT} bytes per event` }]);
    expect(accepted()).toEqual(['at-limit', 'b-at']);
  });

  it('measures an event written with exponents as JSON writes it back, although its body is under the limit', async () => {
    // 1e20 is 4 bytes sent and 21 written: the body is 300-odd bytes, the event as stored over 400.
    const text = `{"messageId":"exp","userId":"u1","event":"Sized","properties":{"a":[${Array(20).fill('1e20').join(',')}]}}`;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(LIMIT);
    expect(Buffer.byteLength(JSON.stringify(JSON.parse(text)))).toBeGreaterThan(LIMIT);
    const res = await post('/v1/track', text);
    expect(res.statusCode).toBe(400);
    expect(res.json().rejected).toEqual([expect.objectContaining({ messageId: 'exp', code: 'EVENT_TOO_LARGE' })]);
    expect(accepted()).toEqual([]);
  });

  it('measures an event with integers a double rounds up to one digit more, although its body is under the limit', async () => {
    // 9999999999999999 is 16 bytes sent and 17 written (10000000000000000).
    const numbers = Array(12).fill('9999999999999999').join(',');
    const pad = 'x'.repeat(LIMIT - Buffer.byteLength(`{"messageId":"round","userId":"u1","event":"Sized","properties":{"pad":"","a":[${numbers}]}}`));
    const text = `{"messageId":"round","userId":"u1","event":"Sized","properties":{"pad":"${pad}","a":[${numbers}]}}`;
    expect(Buffer.byteLength(text)).toBe(LIMIT);
    expect(Buffer.byteLength(JSON.stringify(JSON.parse(text)))).toBe(LIMIT + 12);
    const res = await post('/v1/track', text);
    expect(res.statusCode).toBe(400);
    expect(res.json().rejected).toEqual([expect.objectContaining({ messageId: 'round', code: 'EVENT_TOO_LARGE' })]);
    expect(accepted()).toEqual([]);
  });

  it('counts bytes that are not UTF-8 as the replacement characters they are read as', async () => {
    // 150 bytes of 0xff on the wire: 150 U+FFFD, 450 bytes once read, over the limit.
    const body = Buffer.concat([Buffer.from('{"messageId":"bad-bytes","userId":"u1","event":"Sized","properties":{"pad":"'), Buffer.alloc(150, 0xff), Buffer.from('"}}')]);
    expect(body.length).toBeLessThanOrEqual(LIMIT);
    const res = await post('/v1/track', body);
    expect(res.statusCode).toBe(400);
    expect(res.json().rejected).toEqual([expect.objectContaining({ messageId: 'bad-bytes', code: 'EVENT_TOO_LARGE' })]);
  });

  it('takes an event whose body spells its characters as escapes, longer than the limit, when the event itself fits', async () => {
    const text = `{"messageId":"escaped","userId":"u1","event":"Sized","properties":{"pad":"${'\\u00e9'.repeat(100)}"}}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(LIMIT);
    expect((await post('/v1/track', text)).statusCode).toBe(200);
    expect(accepted()).toEqual(['escaped']);
  });
});
