/**
 * The dimensions the collector fills in at ingest, declared once. Each one is stored on the event
 * under `dimensions.<name>` before the event reaches the log, so the speed layer, the raw store and
 * the batch read the same value; every one is a breakdown and a filter of `/v1/query`, and the
 * dashboard lists them from here.
 */
export const EVENT_DIMENSIONS = [
  { name: 'browser', label: 'Browser', source: 'user agent (ua-parser-js), e.g. Chrome, Firefox, Safari' },
  { name: 'os', label: 'Operating system', source: 'user agent (ua-parser-js), e.g. Windows, macOS, Android, iOS' },
  { name: 'device', label: 'Device type', source: 'user agent: desktop, mobile, tablet, or the parser\'s type (smarttv, console, wearable)' },
  { name: 'screen', label: 'Screen size', source: 'context.screen.width: small (<576 px), medium (<992), large (<1440), xlarge' },
  { name: 'country', label: 'Country', source: 'client IP (or context.ip) in the offline IP database: ISO 3166-1 alpha-2' },
  { name: 'region', label: 'Region', source: 'client IP in the offline city database when one is configured: ISO 3166-2 code or name' },
  { name: 'utmSource', label: 'UTM source', source: 'context.campaign.source, else utm_source of the page URL' },
  { name: 'utmMedium', label: 'UTM medium', source: 'context.campaign.medium, else utm_medium of the page URL' },
  { name: 'utmCampaign', label: 'UTM campaign', source: 'context.campaign.name, else utm_campaign of the page URL' },
  { name: 'referrer', label: 'Referrer source', source: 'context.page.referrer host grouped by a maintained table ("Google", "Hacker News"); "Direct" when none' },
] as const;

export type EventDimensionName = (typeof EVENT_DIMENSIONS)[number]['name'];

/** What ingest stored: a dimension is absent when the collector could not tell (no UA, unknown IP). */
export type EventDimensions = Partial<Record<EventDimensionName, string>>;

export interface EventDimensionDeclaration {
  name: EventDimensionName;
  label: string;
  source: string;
}

export const EVENT_DIMENSION_NAMES: readonly EventDimensionName[] = EVENT_DIMENSIONS.map((d) => d.name);

export function isEventDimension(name: string): name is EventDimensionName {
  return (EVENT_DIMENSION_NAMES as readonly string[]).includes(name);
}

/** Where a dimension's value sits in the stored event (the batch reads it from the raw JSON there). */
export const dimensionPath = (name: EventDimensionName) => `dimensions.${name}`;
