// Types of breakdown.js for the server's first paint.
import type { QueryAnswer } from '@shop/sdk/analytics';

export function breakdownTotals(result: QueryAnswer): Array<{ value: string; total: number }>;
export const DIMENSION_LABELS: Record<string, string>;
