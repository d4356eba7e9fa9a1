import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@shop/platform/testing';
import { startEntryProcess } from '@shop/web/testing';

export interface AnalyticsProcess {
  url: string;
  tenant: string;
  readKey: string;
  /** Sends events through the collector as the shop's tracker would (write key as the Basic user). */
  send(events: object[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The analytics platform as `npm start` runs it, in its own process with its own data directory and
 * a demo-shop tenant whose keys this test chose. Started by path, never imported: the back office
 * knows analytics only by its HTTP API.
 */
export async function startAnalyticsProcess(): Promise<AnalyticsProcess> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'backoffice-analytics-'));
  const tenant = 'demo-shop';
  const writeKey = `wk_${randomBytes(24).toString('hex')}`;
  const readKey = `rk_${randomBytes(24).toString('hex')}`;
  const { url, stop } = await startEntryProcess({
    entry: 'analytics/src/main.ts',
    env: {
      // In-process engines whatever the developer's shell points at.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(REDIS_URL|ANALYTICS_|OBJECT_STORE_|EVENTS_NATS_URL)/.test(k))),
      ANALYTICS_PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      ANALYTICS_DEMO_TENANT: tenant,
      ANALYTICS_DEMO_WRITE_KEY: writeKey,
      ANALYTICS_DEMO_READ_KEY: readKey,
      ANALYTICS_DEMO_HISTORY_DAYS: '0',
      ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0',
      LOG_LEVEL: 'warn',
    },
    port,
    readyPath: '/ready',
    what: 'analytics to be ready',
    timeoutMs: 90_000,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  });
  return {
    url,
    tenant,
    readKey,
    async send(events) {
      const res = await fetch(`${url}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
        body: JSON.stringify({ batch: events }),
      });
      if (res.status !== 200) throw new Error(`the collector answered ${res.status}: ${await res.text()}`);
    },
    stop,
  };
}
