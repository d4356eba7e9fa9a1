/**
 * Per-value totals over the whole range of a /v1/query answer with `breakdown`: the API gives
 * each period's values, in its ranked order. Only for counts and sums, which add across
 * periods (distinct counts do not, so the page offers no breakdown of them).
 */
export function breakdownTotals(result) {
  const values = result.breakdown?.values ?? [];
  return values.map((value) => ({ value, total: result.series.reduce((sum, point) => sum + (point.breakdown?.[value] ?? 0), 0) }));
}

export const DIMENSION_LABELS = {
  'context.campaign.source': 'Campaign source',
  'context.page.path': 'Path',
  'properties.category': 'Category',
  event: 'Event',
  type: 'Type',
};
