/** Today's shopper numbers from the analytics query API, or why there are none. */
export type ShopAnalytics =
  | { state: 'ok'; uniqueUsers: number; sessions: number; pageviews: number; orders: number }
  | { state: 'unconfigured' }
  | { state: 'unreachable'; reason: string };

const METRICS = { uniqueUsers: 'unique_users', sessions: 'unique_sessions', pageviews: 'pageviews', orders: 'orders' } as const;

/**
 * Asks `/v1/query` for each metric since midnight UTC (the same day as the home page's order figures),
 * with the read key as a Bearer header, never in the URL. A slow or failing analytics service gives
 * an answer that says so instead of holding up or breaking the home page.
 */
export async function todaysShopAnalytics(
  config: { url: string | undefined; readKey: string | undefined },
  now = new Date(),
  timeoutMs = 2_000,
): Promise<ShopAnalytics> {
  if (!config.url || !config.readKey) return { state: 'unconfigured' };
  const base = config.url.replace(/\/$/, '');
  const from = now.toISOString().slice(0, 10);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const totals = await Promise.all(
      Object.values(METRICS).map(async (metric) => {
        const res = await fetch(`${base}/v1/query?${new URLSearchParams({ metric, granularity: 'hour', tz: 'UTC', from })}`, {
          headers: { authorization: `Bearer ${config.readKey}`, accept: 'application/json' },
          signal,
        });
        if (!res.ok) throw new Error(`the query API answered ${res.status} for ${metric}`);
        const body = (await res.json()) as { total?: { value?: unknown } };
        if (typeof body.total?.value !== 'number') throw new Error(`the query API gave no total for ${metric}`);
        return body.total.value;
      }),
    );
    const [uniqueUsers, sessions, pageviews, orders] = totals as [number, number, number, number];
    return { state: 'ok', uniqueUsers, sessions, pageviews, orders };
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    const reason = signal.aborted
      ? `no answer within ${timeoutMs / 1000} s`
      : typeof cause === 'string'
        ? `cannot connect (${cause})`
        : error instanceof Error
          ? error.message
          : String(error);
    return { state: 'unreachable', reason };
  }
}
