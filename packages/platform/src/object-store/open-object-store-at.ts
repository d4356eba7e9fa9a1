import { createLocalObjectStore, type LocalObjectStore } from './local-object-store.ts';
import type { ObjectStore } from './object-store.ts';
import { createS3ObjectStore } from './s3-object-store.ts';

/** Where a store lives: a bucket when `s3.bucket` is set, the local directory otherwise. */
export interface ObjectStoreLocation {
  localDir: string;
  s3?: {
    bucket?: string | undefined;
    endpoint?: string | undefined;
    region: string;
    accessKeyId?: string | undefined;
    secretAccessKey?: string | undefined;
    forcePathStyle?: boolean | undefined;
  };
}

/**
 * The S3 bucket when one is configured (at `endpoint` when set, else AWS; without keys the AWS SDK's
 * default credential chain), otherwise the local directory.
 */
export async function openObjectStoreAt(location: ObjectStoreLocation): Promise<ObjectStore & Partial<Pick<LocalObjectStore, 'localPath'>>> {
  const s3 = location.s3;
  if (!s3?.bucket) return createLocalObjectStore(location.localDir);
  return createS3ObjectStore({
    bucket: s3.bucket,
    region: s3.region,
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    ...(s3.accessKeyId && s3.secretAccessKey ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } } : {}),
    ...(s3.forcePathStyle !== undefined ? { forcePathStyle: s3.forcePathStyle } : {}),
  });
}
