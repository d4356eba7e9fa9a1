import { describe, expect, it } from 'vitest';
import { clientIp, createEnricher, openGeoLookup, packagedCityDatabases, referrerSource } from '../../src/collector/index.ts';

// Facts about well-known addresses, not derived from the database under test.
const PLACES: Array<[ip: string, country: string, region: string]> = [
  ['8.8.8.8', 'US', 'California'],
  ['81.2.69.142', 'GB', 'England'],
  ['212.27.48.10', 'FR', 'Ile-de-France'],
  ['193.0.6.139', 'NL', 'North Holland'],
  ['133.242.0.1', 'JP', 'Tokyo'],
  ['2a01:e0c:1::1', 'FR', 'Ile-de-France'],
];

const UAS: Array<[ua: string, browser: string, os: string, device: string]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'Chrome', 'Windows', 'desktop'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 'Safari', 'macOS', 'desktop'],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox', 'Ubuntu', 'desktop'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', 'Safari', 'iOS', 'mobile'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome', 'Android', 'mobile'],
  ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', 'Safari', 'iOS', 'tablet'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge', 'Windows', 'desktop'],
];

const geo = openGeoLookup({ city: packagedCityDatabases() });
const enrich = createEnricher({ geo });
const page = (context: Record<string, unknown>, extra: Partial<Parameters<typeof enrich>[0]> = {}) =>
  enrich({ type: 'page', context, properties: {}, userAgent: undefined, ip: undefined, ...extra });

describe('ingest enrichment', () => {
  it.each(PLACES)('locates %s in %s (%s) from the shipped databases, offline', (ip, country, region) => {
    expect(geo.lookup(ip)).toEqual({ country, region });
  });

  it('gives private, loopback and malformed addresses no place', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '192.168.0.1', '::1', 'fe80::1', 'not-an-ip', '']) expect(geo.lookup(ip)).toEqual({});
    expect(geo.lookup('::ffff:81.2.69.142')).toEqual({ country: 'GB', region: 'England' });
  });

  it('leaves the region out when the two databases disagree on the country (anycast addresses)', () => {
    expect(geo.lookup('2001:4860:4860::8888')).toEqual({ country: 'US' });
  });

  it('has a country and no region without a city database', () => {
    expect(openGeoLookup().lookup('81.2.69.142')).toEqual({ country: 'GB' });
  });

  it.each(UAS)('reads the browser, OS and device of %s', (ua, browser, os, device) => {
    expect(page({}, { userAgent: ua })).toMatchObject({ browser, os, device });
  });

  it('classes the screen by width', () => {
    expect([375, 800, 1280, 2560].map((width) => page({ screen: { width, height: 600 } }).screen)).toEqual(['small', 'medium', 'large', 'xlarge']);
    expect(page({ screen: { width: 'wide' } }).screen).toBeUndefined();
  });

  it("takes UTM values from context.campaign first, else from the page URL's query", () => {
    expect(page({ campaign: { source: 'newsletter', medium: 'email', name: 'spring' }, page: { url: 'https://shop.example/?utm_source=other' } })).toMatchObject({
      utmSource: 'newsletter',
      utmMedium: 'email',
      utmCampaign: 'spring',
    });
    expect(page({ page: { url: 'https://shop.example/p?utm_source=google&utm_medium=cpc&utm_campaign=brand%20x' } })).toMatchObject({
      utmSource: 'google',
      utmMedium: 'cpc',
      utmCampaign: 'brand x',
    });
    expect(page({ page: { url: 'not a url' } }).utmSource).toBeUndefined();
  });

  it('groups referrers into sources, Direct for none and for the site itself', () => {
    const cases: Array<[string | undefined, string]> = [
      ['https://www.google.com/search?q=shoes', 'Google'],
      ['https://www.google.co.uk/', 'Google'],
      ['https://news.ycombinator.com/item?id=1', 'Hacker News'],
      ['https://old.reddit.com/r/x', 'Reddit'],
      ['https://t.co/abc', 'Twitter'],
      ['https://mail.google.com/mail/u/0', 'Email'],
      ['https://www.example.org/blog', 'example.org'],
      ['https://shop.example/cart', 'Direct'],
      [undefined, 'Direct'],
      ['garbage', 'Direct'],
    ];
    for (const [referrer, source] of cases) expect([referrer, referrerSource(referrer, 'shop.example')]).toEqual([referrer, source]);
    expect(page({ page: { referrer: 'https://duckduckgo.com/', url: 'https://shop.example/' } }).referrer).toBe('DuckDuckGo');
    // Only page views have a referrer source: a track event's referrer is its page's, already counted.
    expect(enrich({ type: 'track', context: { page: { referrer: 'https://duckduckgo.com/' } }, properties: {}, userAgent: undefined, ip: undefined }).referrer).toBeUndefined();
  });

  it('believes X-Forwarded-For only as far as the configured proxies', () => {
    expect(clientIp('10.0.0.1', '81.2.69.142', 0)).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', '81.2.69.142', 1)).toBe('81.2.69.142');
    // The client can write anything left of what the trusted proxy appended.
    expect(clientIp('10.0.0.1', '8.8.8.8, 81.2.69.142', 1)).toBe('81.2.69.142');
    expect(clientIp('10.0.0.2', '8.8.8.8, 81.2.69.142, 10.0.0.1', 2)).toBe('81.2.69.142');
    expect(clientIp('10.0.0.1', 'nonsense', 1)).toBe('10.0.0.1');
    expect(clientIp('10.0.0.1', undefined, 1)).toBe('10.0.0.1');
  });
});
