export { BatchViewError, type BatchPeriodMissing, type BatchReadError, type BatchReadResult, type BatchResolutionUnsupported } from './batch.errors.ts';
export { startBatchSchedule, type BatchSchedule, type BatchScheduleOptions } from './batch-schedule.ts';
export { createBatchViewStore, sketchFromRegisters, type BatchViewStore } from './batch-view-store.ts';
export type { PeriodStats } from './compute-period.ts';
export { createLocalLake, type LakeStore } from './lake.ts';
export { periodOf, viewKey, watermarkKey, type Period } from './layout.ts';
export { formatProgress } from './progress-bar.ts';
export { DEFAULT_GRACE_MS, discoverTenants, isClosed, runBatch, type BatchProgress, type BatchRunResult, type RunBatchOptions } from './run-batch.ts';
export { replayBatch, type ReplayBatchOptions, type ReplayBatchResult, type ReplayLake } from './replay-batch.ts';
