import UAParser from 'ua-parser-js';
import { LruCache } from '../lru-cache.ts';

export interface UserAgentDimensions {
  browser?: string;
  os?: string;
  device?: string;
}

// Names the parser splits by packaging, shown as one family as visitors know them.
const BROWSER_FAMILY: Record<string, string> = {
  'Mobile Safari': 'Safari',
  'Chrome WebView': 'Chrome',
  'Chrome Headless': 'Chrome',
  'Mobile Chrome': 'Chrome',
  'Mobile Firefox': 'Firefox',
  'Edge': 'Edge',
};
const OS_FAMILY: Record<string, string> = { 'Mac OS': 'macOS', 'Chromium OS': 'ChromeOS' };

// Real traffic repeats a few hundred user agents: parsing each once keeps ingest cheap. Least
// recently used first out, so a burst of one-off agents (crawlers) does not evict the common ones.
const CACHE_LIMIT = 2000;
const cache = new LruCache<string, UserAgentDimensions>(CACHE_LIMIT);

/**
 * Browser, operating system and device type from a User-Agent header (ua-parser-js 1.x, MIT).
 * A user agent with no device type is a desktop: the parser names only mobile, tablet, smarttv,
 * console, wearable and embedded devices.
 *
 * @example
 * userAgentDimensions('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) ... Mobile/15E148 Safari/604.1')
 * // { browser: 'Safari', os: 'iOS', device: 'mobile' }
 */
export function userAgentDimensions(userAgent: string | undefined): UserAgentDimensions {
  if (!userAgent) return {};
  const ua = userAgent.slice(0, 512);
  const cached = cache.get(ua);
  if (cached) return cached;
  const parsed = new UAParser(ua).getResult();
  const browser = parsed.browser.name ? (BROWSER_FAMILY[parsed.browser.name] ?? parsed.browser.name) : undefined;
  const os = parsed.os.name ? (OS_FAMILY[parsed.os.name] ?? parsed.os.name) : undefined;
  const device = parsed.device.type ?? (browser || os ? 'desktop' : undefined);
  const found: UserAgentDimensions = { ...(browser ? { browser } : {}), ...(os ? { os } : {}), ...(device ? { device } : {}) };
  return cache.set(ua, found);
}
