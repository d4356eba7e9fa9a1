import { LruCache } from './lru-cache.ts';

/**
 * User agents of crawlers, link previewers, monitors and headless browsers. Kept short and
 * by family: one generic pattern (`bot|crawl|spider`) catches most, the rest are known
 * agents without those words. Plain HTTP clients (curl, python-requests, okhttp) and in-app
 * browsers (Pinterest, Instagram) are not listed: real users and server-side senders use them.
 * Events are flagged, never dropped, so a pattern that is too broad shows up as a bot count,
 * not as lost data.
 */
const BOT_PATTERNS: RegExp[] = [
  // `cubot` is a phone brand, not a crawler.
  /(?<!cu)bot\b|bot[/;_-]|crawl|spider|scraper/i,
  /slurp|bingpreview|mediapartners-google|adsbot|feedfetcher|google-inspectiontool/i,
  /facebookexternalhit|facebookcatalog|embedly|quora link preview|skypeuripreview|vkshare|whatsapp\/\d/i,
  /headlesschrome|phantomjs|puppeteer|playwright|selenium|webdriver|scrapy|electron.*headless/i,
  /lighthouse|pingdom|uptimerobot|statuscake|site24x7|newrelicpinger|gtmetrix|pagespeed/i,
];

// Every event of a request carries the same user agent, and a site sees a few hundred: each is tested once.
const verdicts = new LruCache<string, boolean>(4000);

export function isBotUserAgent(userAgent: string | undefined): boolean {
  if (!userAgent) return false;
  // Bounded input: a pathological header must not cost more than a normal one.
  const ua = userAgent.slice(0, 512);
  return verdicts.get(ua) ?? verdicts.set(ua, BOT_PATTERNS.some((pattern) => pattern.test(ua)));
}
