import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';
import { logEnv } from '../log/index.ts';
import { checkObjectStoreConfig, objectStoreEnv } from '../storage/index.ts';

/** What a stand-alone archiver process reads from its environment (names shared with the analytics app). */
export const archiveEnvSchema = z
  .object({
    ...objectStoreEnv,
    ...logEnv,
    ARCHIVE_MEMBER_INDEX: z.coerce.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0).default(0).describe('The place of this process among ARCHIVE_MEMBER_COUNT archivers (0-based); it archives the partitions `p % count == index`.'),
    ARCHIVE_MEMBER_COUNT: env.positiveInt(1).describe('How many archiver processes share the log partitions.'),
    ARCHIVE_FLUSH_RECORDS: env.positiveInt(10_000),
    ARCHIVE_FLUSH_MS: env.positiveInt(1000),
    LOG_LEVEL: env.logLevel().describe('pino log level.'),
  })
  .describe('archiver process');

export type ArchiveConfig = z.output<typeof archiveEnvSchema>;

export function loadArchiveConfig(source: NodeJS.ProcessEnv = process.env): ArchiveConfig {
  const config = parseEnv(archiveEnvSchema, source);
  if (config.ARCHIVE_MEMBER_INDEX >= config.ARCHIVE_MEMBER_COUNT) {
    throw new Error(`ARCHIVE_MEMBER_INDEX must be below ARCHIVE_MEMBER_COUNT (${config.ARCHIVE_MEMBER_COUNT})`);
  }
  checkObjectStoreConfig(config);
  return config;
}
