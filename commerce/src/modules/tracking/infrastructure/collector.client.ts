import type { SegmentMessage } from '../domain/segment-message.ts';

/** What became of one batch at the collector. */
export type SendOutcome =
  /** 2xx. `rejected` lists the indexes the collector refused one by one (invalid events). */
  | { kind: 'delivered'; rejected: Array<{ index: number; code: string; reason: string }> }
  /** The collector says the payload itself is invalid (400, 413, 422): resending cannot help. */
  | { kind: 'invalid'; status: number; detail: string }
  /** Down, overloaded, rate-limited, wrong key...: keep the messages and try later. */
  | { kind: 'retry'; status?: number; retryAfterMs?: number; detail: string };

export interface CollectorClient {
  send(batch: readonly SegmentMessage[], sentAt: Date): Promise<SendOutcome>;
}

/**
 * The Segment batch protocol: `POST {url}/v1/batch`, the write key as the HTTP Basic user with
 * an empty password, body `{ batch, sentAt }`. `sentAt` lets the collector correct each
 * message's `timestamp` against its own clock, which matters for spooled (late) messages.
 */
export function createCollectorClient(options: { url: string; writeKey: string; timeoutMs: number }): CollectorClient {
  const endpoint = new URL('/v1/batch', options.url).toString();
  const authorization = `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}`;
  return {
    async send(batch, sentAt) {
      let res: Response;
      try {
        res = await fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization, 'user-agent': 'shop-commerce-tracking/1.0' },
          body: JSON.stringify({ batch, sentAt: sentAt.toISOString() }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (error) {
        return { kind: 'retry', detail: error instanceof Error ? error.message : String(error) };
      }
      const text = await res.text().catch(() => '');
      if (res.ok) {
        let rejected: Array<{ index: number; code: string; reason: string }> = [];
        try {
          const body = JSON.parse(text) as { rejected?: typeof rejected };
          if (Array.isArray(body.rejected)) rejected = body.rejected;
        } catch {
          // A 2xx without our body (another Segment-compatible collector) means all accepted.
        }
        return { kind: 'delivered', rejected };
      }
      if (res.status === 400 || res.status === 413 || res.status === 422) return { kind: 'invalid', status: res.status, detail: text.slice(0, 500) };
      const retryAfter = Number(res.headers.get('retry-after'));
      return {
        kind: 'retry',
        status: res.status,
        detail: text.slice(0, 500),
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    },
  };
}
