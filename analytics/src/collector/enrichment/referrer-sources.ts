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

/**
 * The grouped source of a page view's referrer: a table entry, else the referrer's host without
 * `www.`; `Direct` without a referrer or when it is the page's own site (internal navigation).
 *
 * @example
 * referrerSource('https://news.ycombinator.com/item?id=1', 'shop.example') // 'Hacker News'
 */
export function referrerSource(referrer: unknown, pageHost: string | undefined): string {
  if (typeof referrer !== 'string' || referrer === '') return DIRECT;
  let host: string;
  try {
    host = new URL(referrer.slice(0, 2000)).hostname.toLowerCase();
  } catch {
    return DIRECT;
  }
  if (!host) return DIRECT;
  if (pageHost && host === pageHost.toLowerCase()) return DIRECT;
  // Email before search: mail.google.com is not a Google search.
  const email = SOURCES.at(-1)!;
  if (email[0].test(host)) return email[1];
  for (const [pattern, source] of SOURCES) if (pattern.test(host)) return source;
  return host.replace(/^www\./, '').slice(0, 100);
}
