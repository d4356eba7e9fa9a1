import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../shared/kv/index.ts';
import { createKvLoginRateLimiter } from './kv-login-rate-limiter.ts';

function setup(maxAttempts = 2, windowSeconds = 60) {
  let now = 0;
  const kv = createMemoryStore({ now: () => now });
  const limiter = createKvLoginRateLimiter(kv, { maxAttempts, windowSeconds });
  return { kv, limiter, advance: (seconds: number) => void (now += seconds * 1000) };
}

describe('login rate limiter on the key-value port', () => {
  it('allows maxAttempts unreleased attempts per window, then refuses with the time left', async () => {
    const { limiter, advance } = setup(2, 60);
    expect((await limiter.attempt(['ip:a'])).allowed).toBe(true);
    expect((await limiter.attempt(['ip:a'])).allowed).toBe(true);
    advance(15);
    expect(await limiter.attempt(['ip:a'])).toEqual({ allowed: false, retryAfterSeconds: 45 });
    advance(45);
    expect((await limiter.attempt(['ip:a'])).allowed).toBe(true);
  });

  it('does not let refused attempts prolong the block', async () => {
    const { limiter, advance } = setup(1, 10);
    await limiter.attempt(['k']);
    for (let i = 0; i < 9; i++) {
      advance(1);
      expect((await limiter.attempt(['k'])).allowed).toBe(false);
    }
    advance(1);
    expect((await limiter.attempt(['k'])).allowed).toBe(true);
  });

  it('gives released slots back', async () => {
    const { limiter } = setup(1, 60);
    for (let i = 0; i < 5; i++) {
      const throttle = await limiter.attempt(['k']);
      if (!throttle.allowed) throw new Error(`attempt ${i} refused`);
      await throttle.release();
    }
  });

  it('stops at the first exhausted key, leaving later keys untouched', async () => {
    const { kv, limiter } = setup(1, 60);
    await limiter.attempt(['ip:x', 'email:a']);
    expect((await limiter.attempt(['ip:x', 'email:b'])).allowed).toBe(false);
    expect(await kv.get('users:login-failures:email:b')).toBeNull();
  });

  it('admits at most maxAttempts of a parallel burst', async () => {
    const { limiter } = setup(3, 60);
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.attempt(['ip:a', 'email:a'])));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
  });
});
