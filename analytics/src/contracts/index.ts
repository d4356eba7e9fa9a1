/**
 * The vocabulary every layer shares: the event schema (ingest, log, archive, batch), the metric
 * declarations, and the aggregate store port with its buckets and cells (speed layer, batch views,
 * serving and query all read and write cells in this shape).
 */
export type { AnalyticsEvent, EventType } from './event.ts';
export {
  EVENT_DIMENSIONS,
  EVENT_DIMENSION_NAMES,
  dimensionPath,
  isEventDimension,
  type EventDimensionDeclaration,
  type EventDimensionName,
  type EventDimensions,
} from './dimensions.ts';
export {
  BREAKDOWN_DIMENSIONS,
  GOAL_FILTER,
  METRICS,
  RATIOS,
  VISIT_FILTER,
  breakdownPath,
  contributions,
  eventPath,
  findRatio,
  findMetric,
  toMinorUnits,
  type BreakdownDimension,
  type Contribution,
  type EventContributions,
  type Identity,
  type Measure,
  type MetricDeclaration,
  type MetricFilter,
  type MetricKind,
  type MetricName,
  type Rejection,
  type RatioDeclaration,
  type Series,
  type VisitFact,
} from './metrics.ts';
export { compileGoals, goalContributions, pathPatternMatches, type CompiledGoals, type GoalDefinition } from './goal-metrics.ts';
export { DEFAULT_VISIT_TIMEOUT_MS, foldVisit, visitMetrics, visitorOf, type OpenVisit, type VisitDelta, type VisitStep } from './visits.ts';
export {
  DEFAULT_RETENTION,
  HOUR_MS,
  RESOLUTION_MS,
  TOPK_CELL_CAPACITY,
  bucketStart,
  expiresAt,
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
