// Types of panels.js for the server's first paint (the page's modules are plain JavaScript).
import type { QueryAnswer } from '@shop/sdk/analytics';

export interface Filter {
  dimension: string;
  value: string;
}
export interface Catalogue {
  metrics: Array<{ name: string; breakdowns: string[]; combinedFilters?: boolean }>;
  ratios: Array<{ name: string; numerator: string; denominator: string; whole?: string }>;
  dimensions: Array<{ name: string; label: string }>;
}
export type RangeParams = { granularity: 'minute' | 'hour' | 'day'; from?: string; to?: string };
export type PanelParams = RangeParams & { metric: string; filter?: string[]; compare?: 'previous'; breakdown?: string; limit?: number };

export const HEADLINES: string[];
export const LABELS: Record<string, string>;
export const BREAKDOWN_METRICS: string[];
export const DEFAULT_BREAKDOWN: string;
export function defaultCustom(now?: number): { from: string; to: string };
export function rangeParams(range: string, custom: { from: string | null; to: string | null }, now?: number): RangeParams;
export function panelFilters(catalogue: Catalogue | null, filters: Filter[], metric: string, breakdown?: string): Filter[];
export function panelParams(
  view: { catalogue: Catalogue | null; filters: Filter[]; compare: boolean; range: RangeParams },
  metric: string,
  extra?: { breakdown?: string; limit?: number },
): PanelParams;
export function formatMetric(metric: string, value: number, decimals?: number): string;
export function deltaText(metric: string, result: QueryAnswer | undefined): string;
export interface Freshness {
  lastEventTime: string | null;
  lagMs: number | null;
  late: number;
  rejected: number;
  watermark?: string | null;
  batchLagMs?: number;
  timeZone: string;
}
export function freshnessTexts(f: Freshness, sinceMs: number, now?: number): { event: string; speed: string; batch: string; late: string };
export function freshnessOf(result: QueryAnswer): Freshness;
