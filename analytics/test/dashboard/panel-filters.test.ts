import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelParams, type Catalogue, type Filter } from '../../src/dashboard/public/panels.js';
import { auth, queryApp } from '../query/query-app.fixture.ts';

/**
 * Which of the dashboard's filter chips a panel applies, decided by the catalogue `/v1/metrics`
 * serves: a goal chip cuts the goal conversion rate (its converting people, over all people)
 * though unique users cannot be cut by goal, and no visit panel.
 */
const NOW = Date.parse('2026-12-07T12:00:00Z');
const range = { granularity: 'hour' as const };

let app: Awaited<ReturnType<typeof queryApp>>['app'];
let catalogue: Catalogue;

beforeAll(async () => {
  ({ app } = await queryApp(NOW));
  catalogue = (await app.inject({ method: 'GET', url: '/v1/metrics', headers: auth('read-acme') })).json() as Catalogue;
});
afterAll(async () => app?.close());

const params = (metric: string, filters: Filter[]) => panelParams({ catalogue, filters, compare: false, range }, metric);
const goal: Filter = { dimension: 'goal', value: 'g-signup' };

describe('a goal filter chip on the panels', () => {
  it('cuts the goal conversion rate, whose unique users are the whole the goal people are counted over', async () => {
    expect(catalogue.ratios.find((r) => r.name === 'goal_conversion_rate')).toMatchObject({ numerator: 'goal_visitors', denominator: 'unique_users', whole: 'goal' });
    const asked = params('goal_conversion_rate', [goal]);
    expect(asked.filter).toEqual(['goal:g-signup']);
    // And the API answers the question the panel asks.
    const query = new URLSearchParams({ metric: asked.metric, granularity: asked.granularity, filter: asked.filter![0]! });
    const res = await app.inject({ method: 'GET', url: `/v1/query?${query}`, headers: auth('read-acme') });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { filters: Filter[] }).filters).toEqual([goal]);
  });

  it('leaves out the panels that cannot be cut by goal', () => {
    for (const metric of ['bounce_rate', 'unique_users', 'visits']) expect(params(metric, [goal]).filter).toBeUndefined();
    expect(params('goal_visitors', [goal]).filter).toEqual(['goal:g-signup']);
  });
});
