import { describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from './event.ts';
import { METRICS, contributions, findMetric, toMinorUnits, type MetricDeclaration } from './metrics.ts';

const base: AnalyticsEvent = {
  tenantId: 't',
  messageId: 'm1',
  type: 'page',
  anonymousId: 'anon-1',
  timestamp: '2026-01-01T00:00:00.000Z',
  receivedAt: '2026-01-01T00:00:00.000Z',
  properties: { category: 'docs' },
  context: { page: { path: '/home', referrer: 'https://ref.example/' }, campaign: { source: 'news' }, sessionId: 's-1' },
  isBot: false,
};

const byMetric = (event: AnalyticsEvent) => {
  const out: Record<string, string[]> = {};
  for (const c of contributions(event, METRICS).contributions) {
    const value = c.kind === 'unique' ? c.identity : c.kind === 'topk' ? c.item : String(c.amount);
    (out[c.metric] ??= []).push(`${c.series ? `${c.series.dimension}=${c.series.value}` : 'total'}:${value}`);
  }
  return out;
};

describe('metric declarations', () => {
  it('declare each name once', () => {
    expect(new Set(METRICS.map((m) => m.name)).size).toBe(METRICS.length);
    expect(findMetric('revenue')?.measure.kind).toBe('sum');
  });

  it('turn a page view into its totals and allowed breakdowns', () => {
    expect(byMetric(base)).toEqual({
      events: ['total:1', 'event=page:1', 'type=page:1', 'context.campaign.source=news:1'],
      pageviews: ['total:1', 'context.page.path=/home:1', 'properties.category=docs:1', 'context.campaign.source=news:1'],
      unique_users: ['total:anon-1', 'type=page:anon-1', 'context.campaign.source=news:anon-1'],
      unique_sessions: ['total:s-1', 'context.campaign.source=news:s-1'],
      top_pages: ['total:/home'],
      top_referrers: ['total:https://ref.example/'],
    });
  });

  it('count a bot only in `bots`, never in a human metric', () => {
    expect(byMetric({ ...base, isBot: true })).toEqual({ bots: ['total:1', 'type=page:1', 'event=page:1'] });
  });

  it('prefer userId over anonymousId and fall back to properties.sessionId', () => {
    const event = { ...base, userId: 'u-9', context: {}, properties: { sessionId: 's-2' } };
    const out = byMetric(event);
    expect(out.unique_users?.[0]).toBe('total:u-9');
    expect(out.unique_sessions).toEqual(['total:s-2']);
  });

  it('sum revenue of Order Completed exactly in minor units, rejecting what cannot be exact', () => {
    const order = (revenue: unknown): AnalyticsEvent => ({ ...base, type: 'track', event: 'Order Completed', properties: { revenue } });
    expect(byMetric(order(19.99)).revenue?.[0]).toBe('total:1999');
    expect(byMetric(order('0.10')).revenue?.[0]).toBe('total:10');
    const rejected = contributions(order('1.005'), METRICS);
    expect(rejected.rejections).toEqual([{ metric: 'revenue', reason: expect.stringContaining('2 places') }]);
    expect(rejected.contributions.some((c) => c.metric === 'revenue')).toBe(false);
    expect(byMetric({ ...order(5), event: 'Product Viewed' }).revenue).toBeUndefined();
  });

  it('convert decimals without floating-point drift', () => {
    expect(toMinorUnits(0.1, 2)! + toMinorUnits(0.2, 2)!).toBe(30);
    expect(toMinorUnits('-12.5', 2)).toBe(-1250);
    expect(toMinorUnits('12.50000', 2)).toBe(1250);
    expect(toMinorUnits('1e3', 2)).toBeNull();
    expect(toMinorUnits(Number.NaN, 2)).toBeNull();
    expect(toMinorUnits('abc', 2)).toBeNull();
  });

  it('make a new metric one declaration', () => {
    const signups: MetricDeclaration = {
      name: 'signups',
      description: 'Signed Up events',
      filter: { types: ['track'], events: ['Signed Up'] },
      measure: { kind: 'count' },
      breakdowns: ['context.campaign.source'],
    };
    const event = { ...base, type: 'track' as const, event: 'Signed Up' };
    expect(contributions(event, [signups]).contributions).toEqual([
      { metric: 'signups', series: null, kind: 'count', amount: 1 },
      { metric: 'signups', series: { dimension: 'context.campaign.source', value: 'news' }, kind: 'count', amount: 1 },
    ]);
  });
});
