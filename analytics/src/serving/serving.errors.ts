import type { Period } from './batch-views.ts';

/**
 * A period of the query that neither layer holds: older than the speed layer keeps it and not
 * (yet) covered by the batch views. Returned, never answered as zero.
 */
export interface PeriodNotCovered {
  code: 'SERVING.PERIOD_NOT_COVERED';
  message: string;
  /** Contiguous runs of missing quarter hours, epoch ms. */
  missing: Period[];
  watermark: number | null;
}
