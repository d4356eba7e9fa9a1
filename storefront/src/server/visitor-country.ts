import type { IncomingHttpHeaders } from 'node:http';

const COUNTRY = /^[A-Za-z]{2}$/;

/**
 * The visitor's country, to place a visitor who has not chosen a region: the deployment's hint
 * header (`COUNTRY_HEADER`, e.g. set by a CDN from the client address) when it holds an ISO 3166
 * code, else the region subtag of the first Accept-Language tag that has one (`ja-JP` → JP).
 * A language alone names no country (`en` is spoken everywhere).
 */
export function visitorCountry(headers: IncomingHttpHeaders, hintHeader: string): string | undefined {
  const hint = headers[hintHeader.toLowerCase()];
  if (typeof hint === 'string' && COUNTRY.test(hint.trim())) return hint.trim().toUpperCase();
  for (const part of String(headers['accept-language'] ?? '').slice(0, 500).split(',')) {
    const country = /^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?-([A-Za-z]{2})$/.exec(part.split(';')[0]!.trim())?.[1];
    if (country) return country.toUpperCase();
  }
  return undefined;
}
