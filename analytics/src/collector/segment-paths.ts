import type { EventType } from '../contracts/index.ts';

/**
 * Every path a Segment library posts events to, under `/v1`. Server libraries use the long
 * names (`/v1/track`, `/v1/batch`; Java, Ruby and the classic mobile libraries `/v1/import`);
 * analytics.js (`@segment/analytics-next`) uses one letter per call type (`/v1/t`) and `/v1/b`
 * in its batching mode; the Swift and Kotlin libraries use `/v1/b` too.
 */
export const BATCH_PATHS = ['/v1/batch', '/v1/import', '/v1/b'] as const;

export const singleEventPaths = (type: EventType): string[] => [`/v1/${type}`, `/v1/${type.charAt(0)}`];

/** Where analytics.js reports its own health counters (`{ series: [...] }`); taken and discarded. */
export const CLIENT_METRICS_PATH = '/v1/m';
