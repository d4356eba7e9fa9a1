import { describe, expect, it } from 'vitest';
import { handoverAnswers, handoverFits, type Handover } from '../../src/dashboard/public/handover.js';

const asOf = Date.parse('2026-12-07T10:00:00Z');
const answer = (value: number) => ({ total: { value } }) as unknown as Handover['results'][string];
const handover: Handover = {
  asOf: new Date(asOf).toISOString(),
  watermark: '2026-12-07T00:00:00Z',
  view: { range: 'custom', custom: { from: '2026-12-01', to: '2026-12-07' }, compare: true, filters: [{ dimension: 'context.campaign.source', value: 'newsletter' }], breakdown: 'pageviews|context.campaign.source' },
  params: { granularity: 'day', from: '2026-12-01', to: '2026-12-08' },
  catalogue: null,
  results: { events: answer(4), breakdown: answer(2) },
};
const view = { range: 'custom', custom: { from: '2026-12-01', to: '2026-12-07' }, compare: true, filters: [{ dimension: 'context.campaign.source', value: 'newsletter' }] };

describe('the page taking over the server-painted answers', () => {
  it('takes them for the very view they were asked for, within the age given', () => {
    expect(handoverFits(handover, view, asOf + 5_000, 60_000)).toBe(true);
  });

  it('asks again for another range, dates, comparison or filters, or once they are older than the age given', () => {
    expect(handoverFits(handover, { ...view, range: 'day' }, asOf, 60_000)).toBe(false);
    expect(handoverFits(handover, { ...view, custom: { from: '2026-12-02', to: '2026-12-07' } }, asOf, 60_000)).toBe(false);
    expect(handoverFits(handover, { ...view, compare: false }, asOf, 60_000)).toBe(false);
    expect(handoverFits(handover, { ...view, filters: [] }, asOf, 60_000)).toBe(false);
    expect(handoverFits(handover, { ...view, filters: [{ dimension: 'context.campaign.source', value: 'ads' }] }, asOf, 60_000)).toBe(false);
    expect(handoverFits(handover, view, asOf + 60_000, 60_000)).toBe(false);
    expect(handoverFits({ ...handover, asOf: 'not a time' }, view, asOf, 60_000)).toBe(false);
  });

  it('ignores the dates of a range that has none', () => {
    const day = { ...handover, view: { ...handover.view, range: 'day', custom: { from: null, to: null } } };
    expect(handoverFits(day, { ...view, range: 'day', custom: { from: '2026-12-01', to: '2026-12-07' } }, asOf, 60_000)).toBe(true);
  });

  it('hands over the breakdown only for the breakdown the page shows', () => {
    expect(Object.keys(handoverAnswers(handover, 'pageviews|context.campaign.source')).sort()).toEqual(['breakdown', 'events']);
    expect(Object.keys(handoverAnswers(handover, 'visits|context.page.path'))).toEqual(['events']);
  });
});
