/**
 * The object store (raw NDJSON, Parquet, positions): the `ObjectStore` port and its local-directory
 * and S3 adapters come from `@shop/platform/object-store` (the shop's product images use them too);
 * here is where analytics keeps its lake and how its processes configure it.
 */
export {
  InvalidObjectKeyError,
  compareKeys,
  createLocalObjectStore,
  createS3ObjectStore,
  localObjectStore,
  publishLocalFile,
  type LocalObjectStore,
  type ObjectStore,
  type S3ObjectStoreOptions,
} from '@shop/platform/object-store';
export { openObjectStore, lakeLocation, localLakeDir, type OpenedObjectStore } from './open-object-store.ts';
export { objectStoreEnv, checkObjectStoreConfig, type ObjectStoreConfig } from './object-store-config.ts';
