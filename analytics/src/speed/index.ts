export {
  DEFAULT_RETENTION,
  RESOLUTION_MS,
  bucketStart,
  type AggregateStore,
  type AggregateStoreOptions,
  type BatchOutcome,
  type BucketReading,
  type CellBatch,
  type CellDelta,
  type CellQuery,
  type CellValue,
  type PartitionBatch,
  type Resolution,
  type TenantDelta,
  type TenantStatus,
} from './aggregate-store.ts';
export { createMemoryAggregateStore } from './memory-aggregate-store.ts';
export { createRedisAggregateStore } from './redis-aggregate-store.ts';
export { PartitionBuffer } from './partition-buffer.ts';
export { startSpeedLayer, type SpeedLayer, type SpeedLayerOptions, type SpeedLayerStats } from './speed-layer.ts';
export { replaySpeedLayer, type ReplaySpeedOptions, type ReplaySpeedStats } from './replay-speed.ts';
export { rebuildTenantSpeed, type RebuildTenantSpeedOptions, type RebuildTenantSpeedStats } from './rebuild-tenant-speed.ts';
