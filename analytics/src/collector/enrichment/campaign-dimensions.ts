export interface CampaignDimensions {
  utmSource?: string;
  utmMedium?: string;
  utmCampaign?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : undefined);

/**
 * UTM source, medium and campaign: analytics.js puts them in `context.campaign` (`name` is the
 * campaign); other senders leave them in the page URL's query, read when the context has none.
 */
export function campaignDimensions(campaign: unknown, pageUrl: URL | undefined): CampaignDimensions {
  const c = campaign !== null && typeof campaign === 'object' ? (campaign as Record<string, unknown>) : {};
  const fromUrl = (key: string) => (pageUrl && pageUrl.search ? text(pageUrl.searchParams.get(key)) : undefined);
  const utmSource = text(c.source) ?? fromUrl('utm_source');
  const utmMedium = text(c.medium) ?? fromUrl('utm_medium');
  const utmCampaign = text(c.name) ?? text(c.campaign) ?? fromUrl('utm_campaign');
  return { ...(utmSource ? { utmSource } : {}), ...(utmMedium ? { utmMedium } : {}), ...(utmCampaign ? { utmCampaign } : {}) };
}
