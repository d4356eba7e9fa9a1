import { join } from 'node:path';
import { createLocalObjectStore, type LocalObjectStore } from './local-object-store.ts';
import type { ObjectStore } from './object-store.ts';
import type { ObjectStoreConfig } from './object-store-config.ts';
import { createS3ObjectStore } from './s3-object-store.ts';

/** What `openObjectStore` returns: `localPath` exists only for the local adapter. */
export type OpenedObjectStore = ObjectStore & Partial<Pick<LocalObjectStore, 'localPath'>>;

/** The local store's directory for a data dir: shared by every process of one machine. */
export function localLakeDir(dataDir: string): string {
  return join(dataDir, 'analytics', 'lake');
}

/** Where `openObjectStore` reads and writes, for messages: the bucket, or the local directory. */
export function lakeLocation(config: ObjectStoreConfig): string {
  return config.S3_BUCKET ? `s3://${config.S3_BUCKET}` : localLakeDir(config.DATA_DIR);
}

/**
 * S3_BUCKET set: that bucket (at S3_ENDPOINT when set, else AWS); otherwise the local store
 * under `DATA_DIR/analytics/lake`.
 *
 * @example
 * const store = await openObjectStore(config);
 * const files = store.localPath ? keys.map(store.localPath) : keys.map((k) => `s3://${bucket}/${k}`);
 */
export async function openObjectStore(config: ObjectStoreConfig): Promise<OpenedObjectStore> {
  if (!config.S3_BUCKET) return createLocalObjectStore(localLakeDir(config.DATA_DIR));
  return createS3ObjectStore({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } }
      : {}),
    ...(config.S3_FORCE_PATH_STYLE !== undefined ? { forcePathStyle: config.S3_FORCE_PATH_STYLE } : {}),
  });
}
