import { LruCache } from '../lru-cache.ts';

/**
 * Referrer hosts grouped into the sources people recognise. Matched on the host's registrable
 * suffix, so `news.ycombinator.com` and `www.google.co.uk` find their entry. Extend the table
 * when a source shows up as a bare host often enough to matter.
 */
const SOURCES: ReadonlyArray<[pattern: RegExp, source: string]> = [
  [/(^|\.)google\.[a-z.]+$/, 'Google'],
  [/(^|\.)bing\.com$/, 'Bing'],
  [/(^|\.)duckduckgo\.com$/, 'DuckDuckGo'],
  [/(^|\.)yahoo\.(com|co\.[a-z]+|[a-z]+)$/, 'Yahoo'],
  [/(^|\.)yandex\.[a-z.]+$/, 'Yandex'],
  [/(^|\.)baidu\.com$/, 'Baidu'],
  [/(^|\.)ecosia\.org$/, 'Ecosia'],
  [/(^|\.)search\.brave\.com$/, 'Brave Search'],
  [/(^|\.)news\.ycombinator\.com$/, 'Hacker News'],
  [/(^|\.)reddit\.com$/, 'Reddit'],
  [/(^|\.)(facebook\.com|fb\.com|fb\.me|m\.facebook\.com|l\.facebook\.com)$/, 'Facebook'],
  [/(^|\.)instagram\.com$/, 'Instagram'],
  [/(^|\.)(twitter\.com|t\.co|x\.com)$/, 'Twitter'],
  [/(^|\.)(linkedin\.com|lnkd\.in)$/, 'LinkedIn'],
  [/(^|\.)(youtube\.com|youtu\.be)$/, 'YouTube'],
  [/(^|\.)pinterest\.[a-z.]+$/, 'Pinterest'],
  [/(^|\.)tiktok\.com$/, 'TikTok'],
  [/(^|\.)github\.com$/, 'GitHub'],
  [/(^|\.)(wikipedia\.org)$/, 'Wikipedia'],
  [/(^|\.)(chatgpt\.com|openai\.com)$/, 'ChatGPT'],
  [/(^|\.)(mail\.google\.com|outlook\.live\.com|mail\.yahoo\.com)$/, 'Email'],
];

export const DIRECT = 'Direct';

// Visitors arrive from a bounded set of referrers: each is parsed and matched once while in use.
const cache = new LruCache<string, { host?: string; source: string }>(4000);

/**
 * The grouped source of a page view's referrer: a table entry, else the referrer's host without
 * `www.`; `Direct` without a referrer or when it is the page's own site (internal navigation).
 *
 * @example
 * referrerSource('https://news.ycombinator.com/item?id=1', 'shop.example') // 'Hacker News'
 */
export function referrerSource(referrer: unknown, pageHost: string | undefined): string {
  if (typeof referrer !== 'string' || referrer === '') return DIRECT;
  const bounded = referrer.slice(0, 2000);
  let known = cache.get(bounded);
  if (known === undefined) known = cache.set(bounded, group(bounded));
  if (known.host === undefined) return DIRECT;
  if (pageHost && known.host === pageHost.toLowerCase()) return DIRECT;
  return known.source;
}

function group(referrer: string): { host?: string; source: string } {
  let host: string;
  try {
    host = new URL(referrer).hostname.toLowerCase();
  } catch {
    return { source: DIRECT };
  }
  if (!host) return { source: DIRECT };
  // Email before search: mail.google.com is not a Google search.
  const email = SOURCES.at(-1)!;
  if (email[0].test(host)) return { host, source: email[1] };
  for (const [pattern, source] of SOURCES) if (pattern.test(host)) return { host, source };
  return { host, source: host.replace(/^www\./, '').slice(0, 100) };
}
