import { LruCache } from '../lru-cache.ts';
import type { CampaignDimensions } from './campaign-dimensions.ts';

/** What enrichment reads from a page URL: its host (for the referrer) and its UTM parameters. */
export interface PageUrlFacts {
  hostname: string;
  campaign: CampaignDimensions;
}

const text = (value: string | null): string | undefined => (value !== null && value.trim() !== '' ? value.trim().slice(0, 200) : undefined);

// A site has a bounded set of pages (and campaign links): each URL is parsed once while it is in use.
const cache = new LruCache<string, PageUrlFacts | null>(4000);

/** The host and UTM parameters of a page URL; undefined when it is not a URL. */
export function pageUrlFacts(url: unknown): PageUrlFacts | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  const bounded = url.slice(0, 4000);
  const cached = cache.get(bounded);
  if (cached !== undefined) return cached ?? undefined;
  return cache.set(bounded, parse(bounded)) ?? undefined;
}

function parse(url: string): PageUrlFacts | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  const campaign: CampaignDimensions = {};
  if (parsed.search) {
    const utmSource = text(parsed.searchParams.get('utm_source'));
    const utmMedium = text(parsed.searchParams.get('utm_medium'));
    const utmCampaign = text(parsed.searchParams.get('utm_campaign'));
    if (utmSource) campaign.utmSource = utmSource;
    if (utmMedium) campaign.utmMedium = utmMedium;
    if (utmCampaign) campaign.utmCampaign = utmCampaign;
  }
  return { hostname: parsed.hostname, campaign };
}
