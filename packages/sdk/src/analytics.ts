import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './analytics-api.ts';

export type { components as AnalyticsComponents, paths as AnalyticsPaths } from './analytics-api.ts';

/** The analytics API, typed from its OpenAPI document: every path, parameter and answer. */
export type AnalyticsClient = Client<paths>;

/** A schema of the analytics API by name, when the document names it. */
export type AnalyticsSchema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** What `GET /v1/query` answers, as its OpenAPI document says. */
export type QueryAnswer = paths['/v1/query']['get']['responses'][200]['content']['application/json'];
/** The query parameters of `GET /v1/query`. */
export type QueryParams = NonNullable<paths['/v1/query']['get']['parameters']['query']>;

/**
 * One client for the analytics API, in Node (a script, the dashboard's server side) or a browser
 * (the dashboard's page bundles this file). `baseUrl` is the API's origin, `''` or
 * `location.origin` in a page it serves; `fetch` may be any fetch-shaped function (the dashboard's
 * server side passes one that answers through the app's own routes, in process).
 *
 * @example
 * const analytics = createAnalyticsClient({ baseUrl: 'http://127.0.0.1:3100', headers: { authorization: `Bearer ${readKey}` } });
 * const { data } = await analytics.GET('/v1/query', { params: { query: { metric: 'pageviews', granularity: 'hour' } } });
 */
export function createAnalyticsClient(options: ClientOptions = {}): AnalyticsClient {
  return createClient<paths>(options);
}
