import { join } from 'node:path';
import { openObjectStoreAt, type LocalObjectStore, type ObjectStore } from '@shop/platform/object-store';
import type { ObjectStoreConfig } from './object-store-config.ts';

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
  return openObjectStoreAt({
    localDir: localLakeDir(config.DATA_DIR),
    s3: {
      bucket: config.S3_BUCKET,
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    },
  });
}
