import type { EventDimensions } from '../../contracts/index.ts';
import { campaignDimensions } from './campaign-dimensions.ts';
import type { GeoLookup } from './geo-lookup.ts';
import { pageUrlFacts } from './page-url.ts';
import { referrerSource } from './referrer-sources.ts';
import { screenClass } from './screen-class.ts';
import { userAgentDimensions } from './user-agent-dimensions.ts';

export interface EnrichmentInput {
  type: string;
  context: Record<string, unknown>;
  properties: Record<string, unknown>;
  userAgent: string | undefined;
  /** `context.ip` when the sender forwarded its visitor's address, else the request's client IP. */
  ip: string | undefined;
}

export type Enricher = (input: EnrichmentInput) => EventDimensions;

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/**
 * Every ingest dimension of one event (see EVENT_DIMENSIONS). Pure apart from the geo lookup;
 * the referrer source is a page view's only (a track event's referrer is its page's, counted once).
 */
export function createEnricher(deps: { geo?: GeoLookup }): Enricher {
  return ({ type, context, properties, userAgent, ip }) => {
    const page = record(context.page);
    const url = pageUrlFacts(page.url ?? properties.url);
    // One object per event, filled in the stored order; the parts come from per-value caches.
    const dimensions: EventDimensions = {};
    const agent = userAgentDimensions(userAgent);
    if (agent.browser) dimensions.browser = agent.browser;
    if (agent.os) dimensions.os = agent.os;
    if (agent.device) dimensions.device = agent.device;
    const campaign = campaignDimensions(context.campaign, url?.campaign);
    if (campaign.utmSource) dimensions.utmSource = campaign.utmSource;
    if (campaign.utmMedium) dimensions.utmMedium = campaign.utmMedium;
    if (campaign.utmCampaign) dimensions.utmCampaign = campaign.utmCampaign;
    if (ip && deps.geo) {
      const place = deps.geo.lookup(ip);
      if (place.country) dimensions.country = place.country;
      if (place.region) dimensions.region = place.region;
    }
    const screen = screenClass(context.screen);
    if (screen) dimensions.screen = screen;
    if (type === 'page') dimensions.referrer = referrerSource(page.referrer ?? properties.referrer, url?.hostname);
    return dimensions;
  };
}
