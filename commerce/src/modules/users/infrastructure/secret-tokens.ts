import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretTokens } from '../application/ports/users.ports.ts';

const digest = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/** 256-bit random secrets; a plain SHA-256 suffices to store them because they are not guessable. */
export function createSecretTokens(): SecretTokens {
  return {
    generate: () => randomBytes(32).toString('base64url'),
    digest,
    matches(secret, stored) {
      const presented = Buffer.from(digest(secret), 'hex');
      const expected = Buffer.from(stored, 'hex');
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    },
  };
}
