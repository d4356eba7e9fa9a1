import type { AnalyticsEvent } from '../../analytics/src/contracts/event.ts';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;
/** The fixed "now" of the 30-day benches, so runs on different days read the same lake. */
export const NOW = Date.parse('2026-11-25T12:00:00Z');
/** The batch watermark two days before NOW: columnar copies up to it, NDJSON after. */
export const BATCH_WATERMARK = Math.floor((NOW - 2 * DAY) / DAY) * DAY;
/** Raw events a minute of the 30-day benches holds (EVENTS_PER_MINUTE). */
export const EVENTS_PER_MINUTE = Number(process.env.EVENTS_PER_MINUTE ?? 3);
const SOURCES = ['newsletter', 'google', 'ads', 'partner'];
const COUNTRIES = ['GB', 'FR', 'US', 'DE', 'JP'];
const BROWSERS = ['Chrome', 'Firefox', 'Safari'];
const DEVICES = ['desktop', 'mobile', 'tablet'];

/**
 * 62 days before `now` of tenant `bench`: visitors coming back every few minutes (so visits of
 * several pages), four campaign sources, a sign-up now and then (one in two on the pro plan).
 */
export function query30dEvents(now: number, perMinute: number): AnalyticsEvent[] {
  const out: AnalyticsEvent[] = [];
  for (let t = now - 62 * DAY, i = 0; t < now; t += MINUTE) {
    for (let k = 0; k < perMinute; k++, i++) {
      const at = new Date(t + k * 1000).toISOString();
      const visitor = `a${(i * 7919) % 3000}`;
      const signup = i % 50 === 0;
      out.push({
        tenantId: 'bench',
        messageId: `m${i}`,
        type: signup ? 'track' : 'page',
        ...(signup ? { event: 'Signed Up', properties: { plan: i % 100 === 0 ? 'pro' : 'free', revenue: '9.99' } } : { properties: {} }),
        anonymousId: visitor,
        timestamp: at,
        receivedAt: at,
        context: { page: { path: `/p${i % 40}` }, campaign: { source: SOURCES[(i * 31) % SOURCES.length] } },
        dimensions: { country: COUNTRIES[(i * 7919) % 3000 % COUNTRIES.length]!, browser: BROWSERS[((i * 7919) % 3000) % 7 % BROWSERS.length]!, device: DEVICES[i % DEVICES.length]! },
        isBot: false,
      });
    }
  }
  return out;
}
