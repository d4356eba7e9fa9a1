/**
 * The object store port (immutable files by key: the analytics lake, the shop's product images),
 * a local-directory adapter (embedded default) and an S3 adapter; one contract suite
 * (`@shop/platform/testing/object-store`) runs against both. A subpath of its own, so processes
 * without an object store never load the AWS SDK.
 */
export { InvalidObjectKeyError, compareKeys, type ObjectStore } from './object-store.ts';
export { createLocalObjectStore, localObjectStore, publishLocalFile, type LocalObjectStore } from './local-object-store.ts';
export { createS3ObjectStore, type S3ObjectStoreOptions } from './s3-object-store.ts';
export { openObjectStoreAt, type ObjectStoreLocation } from './open-object-store-at.ts';
