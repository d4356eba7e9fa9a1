import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';
import { logEnv } from '../log/index.ts';
import { checkObjectStoreConfig, objectStoreEnv } from '../storage/index.ts';

/** What a stand-alone archiver process reads from its environment (names shared with the analytics app). */
const schema = z.object({
  ...objectStoreEnv,
  ...logEnv,
  ARCHIVE_MEMBER_INDEX: z.coerce.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0).default(0),
  ARCHIVE_MEMBER_COUNT: env.positiveInt(1),
  ARCHIVE_FLUSH_RECORDS: env.positiveInt(10_000),
  ARCHIVE_FLUSH_MS: env.positiveInt(1000),
  LOG_LEVEL: env.logLevel(),
});

export type ArchiveConfig = z.output<typeof schema>;

export function loadArchiveConfig(source: NodeJS.ProcessEnv = process.env): ArchiveConfig {
  const config = parseEnv(schema, source);
  if (config.ARCHIVE_MEMBER_INDEX >= config.ARCHIVE_MEMBER_COUNT) {
    throw new Error(`ARCHIVE_MEMBER_INDEX must be below ARCHIVE_MEMBER_COUNT (${config.ARCHIVE_MEMBER_COUNT})`);
  }
  checkObjectStoreConfig(config);
  return config;
}
