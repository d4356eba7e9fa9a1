import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createScryptPasswordHasher } from './scrypt-password-hasher.ts';

const cheap = createScryptPasswordHasher({ logN: 8, r: 8, p: 1 });

describe('scrypt password hasher', () => {
  it('verifies the right password and rejects any other', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), async (password, other) => {
        const hash = await cheap.hash(password);
        expect(await cheap.verify(password, hash)).toBe(true);
        if (other.normalize('NFKC') !== password.normalize('NFKC')) expect(await cheap.verify(other, hash)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('salts every hash, and stores its parameters with it', async () => {
    const a = await cheap.hash('the same password');
    const b = await cheap.hash('the same password');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^\$scrypt\$ln=8,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  });

  it('verifies hashes made with other parameters and asks for a rehash of them', async () => {
    const stronger = createScryptPasswordHasher({ logN: 9, r: 8, p: 2 });
    const old = await cheap.hash('a password long enough');
    expect(await stronger.verify('a password long enough', old)).toBe(true);
    expect(stronger.needsRehash(old)).toBe(true);
    expect(stronger.needsRehash(await stronger.hash('x'))).toBe(false);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const hash = await cheap.hash('caf\u00e9 au lait!');
    expect(await cheap.verify('cafe\u0301 au lait!', hash)).toBe(true);
  });

  it('rejects malformed stored hashes instead of throwing', async () => {
    for (const broken of ['', 'plain', '$scrypt$ln=8,r=8,p=1$$', '$argon2id$v=19$m=65536,t=3,p=4$abc$def']) {
      expect(await cheap.verify('anything', broken)).toBe(false);
      expect(cheap.needsRehash(broken)).toBe(true);
    }
  });
});
