/**
 * The object store (raw NDJSON, Parquet, positions): the `ObjectStore` port, a local-directory
 * adapter (embedded default; `localPath` lets DuckDB read its files directly) and an S3 adapter.
 */
export { InvalidObjectKeyError, compareKeys, type ObjectStore } from './object-store.ts';
export { createLocalObjectStore, localObjectStore, publishLocalFile, type LocalObjectStore } from './local-object-store.ts';
export { createS3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.ts';
export { openObjectStore, lakeLocation, localLakeDir, type OpenedObjectStore } from './open-object-store.ts';
export { objectStoreEnv, checkObjectStoreConfig, type ObjectStoreConfig } from './object-store-config.ts';
