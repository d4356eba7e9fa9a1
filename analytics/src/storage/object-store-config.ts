import { z } from 'zod';
import { env } from '@shop/platform';

/**
 * The environment variables that choose the object store, for every process that opens one
 * (the analytics app, processes/archiver.ts, the batch job): spread into a process's config schema.
 * No credential has a default; without S3_ACCESS_KEY_ID the AWS SDK's default chain applies.
 */
export const objectStoreEnv = {
  DATA_DIR: z.string().default('./data').describe('Where the embedded engines keep their files: the file log (`analytics/events`) and the local lake (`analytics/lake`).'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a valid S3 bucket name' }).optional().describe('Puts the raw store and the batch views in this S3 bucket; unset: the local directory `DATA_DIR/analytics/lake`.'),
  S3_ENDPOINT: env.url(['http:', 'https:'], 'http(s)://').optional().describe('An S3-compatible server (MinIO, s3rver); unset: AWS.'),
  S3_REGION: z.string().default('us-east-1').describe('S3 region.'),
  S3_ACCESS_KEY_ID: z.string().optional().describe('With S3_SECRET_ACCESS_KEY; unset: the AWS SDK default credential chain.'),
  S3_SECRET_ACCESS_KEY: z.string().optional().describe('With S3_ACCESS_KEY_ID.'),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }).optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1' || v === 'yes')).describe('Path-style bucket addressing; default: on when S3_ENDPOINT is set (MinIO and most self-hosted servers need it).'),
};

export type ObjectStoreConfig = z.output<z.ZodObject<typeof objectStoreEnv>>;

/** Cross-field checks the field schemas cannot express; call from the process's config loader. */
export function checkObjectStoreConfig(config: ObjectStoreConfig): void {
  if (Boolean(config.S3_ACCESS_KEY_ID) !== Boolean(config.S3_SECRET_ACCESS_KEY)) {
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together');
  }
  if (config.S3_ENDPOINT && !config.S3_BUCKET) throw new Error('S3_ENDPOINT is set but S3_BUCKET is not');
}
