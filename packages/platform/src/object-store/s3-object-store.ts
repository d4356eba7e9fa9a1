import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { checkKey, compareKeys, type ObjectStore } from './object-store.ts';

export interface S3ObjectStoreOptions {
  bucket: string;
  /** For S3-protocol servers (MinIO, s3rver, R2...); unset for AWS. */
  endpoint?: string;
  region: string;
  /** Unset: the AWS SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `bucket` in the path rather than the host name; most self-hosted servers need it. */
  forcePathStyle?: boolean;
  /** Keys per ListObjectsV2 page (S3's default and maximum: 1000); tests lower it to cover paging. */
  listPageSize?: number;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

/**
 * An object store in an S3 bucket. A single PutObject is atomic in S3 (readers see the old
 * object or the new one, never part of one) and durable once acknowledged, which is all the
 * port asks; objects here stay far below the 5 GB single-put limit, so no multipart upload.
 *
 * @example
 * const store = createS3ObjectStore({ bucket: 'analytics-lake', region: 'eu-west-1' });
 */
export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const { bucket } = options;
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
  });

  return {
    async put(key, body) {
      checkKey(key);
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentLength: bytes.byteLength }));
    },

    async get(key) {
      checkKey(key);
      try {
        const output = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        if (!output.Body) return new Uint8Array();
        return await output.Body.transformToByteArray();
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: options.listPageSize }));
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      // S3 already lists in this order; sorting keeps servers that do not honest.
      return keys.sort(compareKeys);
    },

    async delete(key) {
      checkKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },

    async head(key) {
      checkKey(key);
      try {
        const output = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { size: output.ContentLength ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async close() {
      client.destroy();
    },
  };
}
