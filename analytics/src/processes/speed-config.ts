import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';
import { checkMembership, memberIndexEnv } from './membership.ts';
import { logEnv } from '../log/index.ts';
import { checkObjectStoreConfig, objectStoreEnv } from '../storage/index.ts';

/** What a stand-alone speed layer process reads from its environment (names shared with the analytics app). */
export const speedEnvSchema = z
  .object({
    /** The lake, for its erasure list: erased people are left out of the views. */
    ...objectStoreEnv,
    REDIS_URL: env.redisUrl().describe('Redis the views are written to (required: the query API must read them): `redis://...` or `redis+cluster://host:port,host:port`.'),
    ANALYTICS_REDIS_PREFIX: z.string().default('analytics:').describe('Prefix of every Redis key; the same value as the analytics app.'),
    ...logEnv,
    SPEED_MEMBER_INDEX: memberIndexEnv('SPEED_MEMBER_COUNT'),
    SPEED_MEMBER_COUNT: env.positiveInt(1).describe('How many speed processes share the log partitions.'),
    SPEED_FLUSH_MS: env.positiveInt(250).describe('How often buffered contributions and log positions are written to Redis together.'),
    LOG_LEVEL: env.logLevel().describe('pino log level.'),
  })
  .describe('speed layer process');

export type SpeedConfig = z.output<typeof speedEnvSchema>;

export function loadSpeedConfig(source: NodeJS.ProcessEnv = process.env): SpeedConfig {
  const config = parseEnv(speedEnvSchema, source);
  checkMembership('SPEED', config.SPEED_MEMBER_INDEX, config.SPEED_MEMBER_COUNT);
  checkObjectStoreConfig(config);
  return config;
}
