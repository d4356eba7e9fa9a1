import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';
import { logEnv } from '../log/index.ts';
import { checkObjectStoreConfig, objectStoreEnv } from '../storage/index.ts';

/** What a stand-alone speed layer process reads from its environment (names shared with the analytics app). */
const schema = z.object({
  /** The lake, for its erasure list: erased people are left out of the views. */
  ...objectStoreEnv,
  /** Required: a separate process's views are only useful in a store the query API also reads. */
  REDIS_URL: env.url(['redis:', 'rediss:'], 'redis://'),
  ANALYTICS_REDIS_PREFIX: z.string().default('analytics:'),
  ...logEnv,
  SPEED_MEMBER_INDEX: z.coerce.number({ message: 'must be an integer' }).int({ message: 'must be an integer' }).min(0).default(0),
  SPEED_MEMBER_COUNT: env.positiveInt(1),
  SPEED_FLUSH_MS: env.positiveInt(250),
  LOG_LEVEL: env.logLevel(),
});

export type SpeedConfig = z.output<typeof schema>;

export function loadSpeedConfig(source: NodeJS.ProcessEnv = process.env): SpeedConfig {
  const config = parseEnv(schema, source);
  if (config.SPEED_MEMBER_INDEX >= config.SPEED_MEMBER_COUNT) {
    throw new Error(`SPEED_MEMBER_INDEX must be below SPEED_MEMBER_COUNT (${config.SPEED_MEMBER_COUNT})`);
  }
  checkObjectStoreConfig(config);
  return config;
}
