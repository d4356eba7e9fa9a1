/**
 * The archiver: log -> immutable raw NDJSON objects in the object store. The raw layout
 * (`raw-layout.ts`) is the contract the batch job reads.
 */
export { startArchiver, type Archiver, type ArchiverOptions, type ArchiverStats } from './archiver.ts';
export {
  RAW_PREFIX,
  encodeRawObjects,
  parseRawObjectKey,
  rawObjectKey,
  rawPartitionOf,
  type RawObjectName,
  type RawPartition,
} from './raw-layout.ts';
export { ArchivePositionCorruptError, flushIntentKey, positionKey, readPosition } from './archive-positions.ts';
