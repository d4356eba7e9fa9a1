/**
 * The speed layer: log consumers folding events into the aggregate store (in-process or Redis),
 * replay and per-tenant rebuild. The store's vocabulary (`AggregateStore`, buckets, cells) is in
 * `contracts/`.
 */
export { createMemoryAggregateStore } from './memory-aggregate-store.ts';
export { createRedisAggregateStore } from './redis-aggregate-store.ts';
export { PartitionBuffer } from './partition-buffer.ts';
export { startSpeedLayer, type SpeedLayer, type SpeedLayerOptions, type SpeedLayerStats } from './speed-layer.ts';
export { replaySpeedLayer, type ReplaySpeedOptions, type ReplaySpeedStats } from './replay-speed.ts';
export { rebuildTenantSpeed, type RebuildTenantSpeedOptions, type RebuildTenantSpeedStats } from './rebuild-tenant-speed.ts';
export { noGoals, type TenantGoals } from './tenant-goals.ts';
export { aggregateStoreOverChannel, serveAggregateStore, type ChannelEnd } from './store-channel.ts';
