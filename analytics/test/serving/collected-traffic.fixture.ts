import { expect } from 'vitest';
import { until } from '../speed/until.ts';
import { basic, type TestApp } from '../collector/support/test-app.ts';

/** User agents the collector reads as these browsers and devices. */
export const AGENTS = [
  { browser: 'Chrome', device: 'desktop', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  { browser: 'Chrome', device: 'mobile', ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36' },
  { browser: 'Firefox', device: 'desktop', ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
];
/** Addresses the collector places in these countries. */
export const ADDRESSES = [
  { country: 'GB', ip: '81.2.69.142' },
  { country: 'FR', ip: '212.27.48.10' },
];

/** Sends `messages` through the collector with `writeKey` and waits until the archiver has written every one to the raw store. */
export async function collectIntoRawStore(t: TestApp, tenant: string, writeKey: string, messages: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < messages.length; i += 300) {
    const res = await t.app.server.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(writeKey) }, payload: { batch: messages.slice(i, i + 300) } });
    expect(res.json()).toMatchObject({ accepted: Math.min(300, messages.length - i), rejected: [] });
  }
  await until('the archiver to write every event', async () => {
    let lines = 0;
    for (const key of await t.app.objectStore.list(`raw/tenant=${tenant}/`)) lines += new TextDecoder().decode((await t.app.objectStore.get(key))!).trim().split('\n').length;
    return lines >= messages.length;
  }, 30_000);
}
