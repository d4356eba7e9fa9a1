import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { PasswordHasher } from '../application/ports/users.ports.ts';

/** scrypt cost: N = 2^logN, block size r, parallelism p. */
export interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

/**
 * 64 MiB and roughly 0.1 s per hash on a server core: OWASP's floor (N=2^17) doubled the memory
 * of every concurrent login, which a small instance cannot afford under a login burst.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { logN: 16, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// `$scrypt$ln=16,r=8,p=1$<salt>$<key>` in the spirit of the PHC string format.
const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  return new Promise((resolve, reject) => {
    // NFKC so the same password typed on two keyboards (composed vs decomposed accents) matches.
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function parse(hash: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const match = FORMAT.exec(hash);
  if (!match) return null;
  const [, logN, r, p, salt, key] = match;
  return {
    params: { logN: Number(logN), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt ?? '', 'base64'),
    key: Buffer.from(key ?? '', 'base64'),
  };
}

/** node:crypto scrypt with a random salt per password; the parameters are stored with each hash. */
export function createScryptPasswordHasher(params: ScryptParams = DEFAULT_SCRYPT_PARAMS): PasswordHasher {
  const dummySalt = randomBytes(SALT_LENGTH);
  return {
    async hash(password) {
      const salt = randomBytes(SALT_LENGTH);
      const key = await derive(password, salt, params);
      return `$scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
    },
    async verify(password, hash) {
      const parsed = parse(hash);
      if (!parsed || parsed.key.length === 0) return false;
      const key = await derive(password, parsed.salt, parsed.params);
      return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
    },
    needsRehash(hash) {
      const parsed = parse(hash);
      return !parsed || parsed.params.logN !== params.logN || parsed.params.r !== params.r || parsed.params.p !== params.p;
    },
    async burn(password) {
      await derive(password, dummySalt, params);
    },
  };
}
