import { parseRedisTarget } from '../redis/redis-client.ts';
import { z } from 'zod';

/** Thrown when the environment is invalid; `main` prints `message` and exits non-zero. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` with a zod object whose keys are environment variable names.
 * Every problem names its variable, e.g. `DATABASE_URL must be a postgres:// URL`,
 * so an operator can fix a deployment from the message alone.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  // Empty strings mean "unset": `FOO= npm start` should fall back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.message.startsWith(name) ? issue.message : `${name} ${issue.message}`;
    }),
  );
}

/** Reusable variable types whose error messages read well after the variable name. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a port number (1-65535)' })
      .int({ message: 'must be a port number (1-65535)' })
      .min(1, { message: 'must be a port number (1-65535)' })
      .max(65535, { message: 'must be a port number (1-65535)' })
      .default(fallback),
  positiveInt: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a positive integer' })
      .int({ message: 'must be a positive integer' })
      .positive({ message: 'must be a positive integer' })
      .default(fallback),
  /** 0 allowed: for limits where 0 means "off". */
  nonNegativeInt: (fallback: number) =>
    z.coerce
      .number({ message: 'must be a non-negative integer' })
      .int({ message: 'must be a non-negative integer' })
      .nonnegative({ message: 'must be a non-negative integer' })
      .default(fallback),
  url: (protocols: string[], label: string) =>
    z.string().refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `must be a ${label} URL` },
    ),
  /** `redis://`, `rediss://` or a cluster's seed nodes as `redis+cluster://host:port,host:port`. */
  redisUrl: () =>
    z.string().refine((value) => parseRedisTarget(value) !== null, {
      message: 'must be a redis:// URL or redis+cluster://host:port,host:port',
    }),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  logLevel: () =>
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
};
