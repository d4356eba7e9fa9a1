import { z } from 'zod';
import { parsePostgresHosts } from './postgres-hosts.ts';

/** The config schema of a `postgres://` URL with one host or several (libpq style, which `new URL` rejects). */
export function postgresUrl() {
  return z.string().superRefine((value, ctx) => {
    try {
      parsePostgresHosts(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'must be a postgres:// URL' });
    }
  });
}
