import type { EventDimensions } from '../../contracts/index.ts';
import { campaignDimensions } from './campaign-dimensions.ts';
import type { GeoLookup } from './geo-lookup.ts';
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
    const url = parseUrl(page.url ?? properties.url);
    const dimensions: EventDimensions = {
      ...userAgentDimensions(userAgent),
      ...campaignDimensions(context.campaign, url),
      ...(ip && deps.geo ? deps.geo.lookup(ip) : {}),
    };
    const screen = screenClass(context.screen);
    if (screen) dimensions.screen = screen;
    if (type === 'page') dimensions.referrer = referrerSource(page.referrer ?? properties.referrer, url?.hostname);
    return dimensions;
  };
}

function parseUrl(url: unknown): URL | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  return URL.canParse(url.slice(0, 4000)) ? new URL(url.slice(0, 4000)) : undefined;
}
