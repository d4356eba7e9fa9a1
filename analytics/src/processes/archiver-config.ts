import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';
import { checkMembership, memberIndexEnv } from './membership.ts';
import { logEnv } from '../log/index.ts';
import { checkObjectStoreConfig, objectStoreEnv } from '../storage/index.ts';

/** What a stand-alone archiver process reads from its environment (names shared with the analytics app). */
export const archiveEnvSchema = z
  .object({
    ...objectStoreEnv,
    ...logEnv,
    ARCHIVE_MEMBER_INDEX: memberIndexEnv('ARCHIVE_MEMBER_COUNT'),
    ARCHIVE_MEMBER_COUNT: env.positiveInt(1).describe('How many archiver processes share the log partitions.'),
    ARCHIVE_FLUSH_RECORDS: env.positiveInt(10_000),
    ARCHIVE_FLUSH_MS: env.positiveInt(1000),
    LOG_LEVEL: env.logLevel().describe('pino log level.'),
  })
  .describe('archiver process');

export type ArchiveConfig = z.output<typeof archiveEnvSchema>;

export function loadArchiveConfig(source: NodeJS.ProcessEnv = process.env): ArchiveConfig {
  const config = parseEnv(archiveEnvSchema, source);
  checkMembership('ARCHIVE', config.ARCHIVE_MEMBER_INDEX, config.ARCHIVE_MEMBER_COUNT);
  checkObjectStoreConfig(config);
  return config;
}
