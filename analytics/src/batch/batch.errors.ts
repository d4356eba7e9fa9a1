import type { Result } from '../tenants/index.ts';

/**
 * A period the caller asked about has no batch view: the serving layer must answer with an
 * error (or read the speed layer), never a silent zero. Not an infrastructure failure.
 */
export interface BatchPeriodMissing {
  code: 'BATCH.PERIOD_MISSING';
  tenantId: string;
  /** UTC dates (`YYYY-MM-DD`) with no view. */
  dates: string[];
}

/** Batch views hold quarter hours only; minute buckets are the speed layer's. */
export interface BatchResolutionUnsupported {
  code: 'BATCH.RESOLUTION_UNSUPPORTED';
  resolution: string;
}

export type BatchReadError = BatchPeriodMissing | BatchResolutionUnsupported;
export type BatchReadResult<T> = Result<T, BatchReadError>;

/** What `BatchViewStore.read` throws (it keeps `AggregateStore.read`'s shape); `readChecked` returns the same as a value. */
export class BatchViewError extends Error {
  constructor(readonly detail: BatchReadError) {
    super(detail.code === 'BATCH.PERIOD_MISSING' ? `No batch view for tenant ${detail.tenantId} on ${detail.dates.join(', ')}` : `Batch views have no ${detail.resolution} buckets`);
    this.name = 'BatchViewError';
  }

  get code(): BatchReadError['code'] {
    return this.detail.code;
  }
}
