import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, parseEnv } from './parse-env.ts';

const schema = z.object({
  DATABASE_URL: env.url(['postgres:', 'postgresql:'], 'postgres://').optional(),
  PORT: env.port(3000),
  FLAG: env.boolean(false),
});

describe('parseEnv', () => {
  it('applies defaults and treats empty strings as unset', () => {
    expect(parseEnv(schema, { PORT: '', DATABASE_URL: '' })).toEqual({ PORT: 3000, FLAG: false });
  });

  it('names the variable and what is wrong', () => {
    try {
      parseEnv(schema, { DATABASE_URL: 'foo', PORT: '99999', FLAG: 'maybe' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([
        'DATABASE_URL must be a postgres:// URL',
        'PORT must be a port number (1-65535)',
        'FLAG must be true or false',
      ]);
    }
  });
});
