// Types of handover.js for the server that writes the block (readHandover is the page's alone).
import type { QueryAnswer } from '@shop/sdk/analytics';
import type { Catalogue, Filter, RangeParams } from './panels.js';

export interface Handover {
  /** When the server asked (ISO). */
  asOf: string;
  /** B of the answers, as the events (or page views) answer gave it. */
  watermark: string | null;
  view: { range: string; custom: { from: string | null; to: string | null }; compare: boolean; filters: Filter[]; breakdown: string };
  params: RangeParams;
  catalogue: Catalogue | null;
  results: Record<string, QueryAnswer>;
}

export const HANDOVER_ID: string;
export function handoverFits(
  handover: Handover,
  view: { range: string; custom: { from: string | null; to: string | null }; compare: boolean; filters: Filter[] },
  now: number,
  maxAgeMs: number,
): boolean;
export function handoverAnswers(handover: Handover, breakdown: string): Record<string, QueryAnswer>;
