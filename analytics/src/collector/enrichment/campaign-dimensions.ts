export interface CampaignDimensions {
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : undefined);

/**
 * UTM source, medium and campaign: analytics.js puts them in `context.campaign` (`name` is the
 * campaign); other senders leave them in the page URL's query (`fromUrl`, see page-url.ts), read
 * for each field the context has not.
 */
export function campaignDimensions(campaign: unknown, fromUrl: CampaignDimensions | undefined): CampaignDimensions {
  if (campaign === null || typeof campaign !== 'object') return fromUrl ?? {};
  const c = campaign as Record<string, unknown>;
  const utmSource = text(c.source) ?? fromUrl?.utmSource;
  const utmMedium = text(c.medium) ?? fromUrl?.utmMedium;
  const utmCampaign = text(c.name) ?? text(c.campaign) ?? fromUrl?.utmCampaign;
  return { ...(utmSource ? { utmSource } : {}), ...(utmMedium ? { utmMedium } : {}), ...(utmCampaign ? { utmCampaign } : {}) };
}
