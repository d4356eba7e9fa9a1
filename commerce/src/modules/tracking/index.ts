export {
  createTrackingModule,
  type TrackingApi,
  type TrackingConfig,
  type TrackingModuleDeps,
  type TrackingStats,
} from './tracking.module.ts';
export type { CollectorClient, SendOutcome } from './infrastructure/collector.client.ts';
export type { SegmentMessage } from './domain/segment-message.ts';
export { trackingMigrations } from './infrastructure/tracking.migrations.ts';
