import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../shared/kv/index.ts';
import { createKvLoginRateLimiter } from './kv-login-rate-limiter.ts';

function setup(options: { freeAttempts?: number; maxDelaySeconds?: number; sourceMaxAttempts?: number } = {}) {
  let now = 0;
  const kv = createMemoryStore({ now: () => now });
  const limiter = createKvLoginRateLimiter(kv, {
    freeAttempts: options.freeAttempts ?? 2,
    maxDelaySeconds: options.maxDelaySeconds ?? 60,
    sourceMaxAttempts: options.sourceMaxAttempts ?? 100,
    now: () => now,
  });
  return { kv, limiter, advance: (seconds: number) => void (now += seconds * 1000) };
}

describe('login rate limiter on the key-value port', () => {
  it('grows the delay after the free attempts and caps it at maxDelaySeconds', async () => {
    const { limiter, advance } = setup({ freeAttempts: 2, maxDelaySeconds: 5 });
    const s = { subject: 'k' };
    await limiter.attempt(s);
    await limiter.attempt(s);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const refused = await limiter.attempt(s);
      if (refused.allowed) throw new Error('expected a wait');
      waits.push(refused.retryAfterSeconds);
      advance(refused.retryAfterSeconds);
      expect((await limiter.attempt(s)).allowed).toBe(true);
    }
    expect(waits).toEqual([1, 2, 4, 5, 5]);
  });

  it('keeps subjects apart: one address failing does not slow the same account elsewhere', async () => {
    const { limiter } = setup({ freeAttempts: 1 });
    await limiter.attempt({ subject: 'email-ip:ann:attacker' });
    expect((await limiter.attempt({ subject: 'email-ip:ann:attacker' })).allowed).toBe(false);
    expect((await limiter.attempt({ subject: 'email-ip:ann:home' })).allowed).toBe(true);
    expect((await limiter.attempt({ subject: 'device:laptop:ann' })).allowed).toBe(true);
  });

  it('clears the subject on success, so the owner starts afresh', async () => {
    const { limiter } = setup({ freeAttempts: 1 });
    const first = await limiter.attempt({ subject: 'k' });
    if (!first.allowed) throw new Error('refused');
    await first.release();
    expect((await limiter.attempt({ subject: 'k' })).allowed).toBe(true);
  });

  it('limits a source across subjects per window, without spending it on refused attempts', async () => {
    const { limiter, advance } = setup({ freeAttempts: 1, sourceMaxAttempts: 3, maxDelaySeconds: 60 });
    for (const email of ['a', 'b', 'c']) expect((await limiter.attempt({ source: 'ip:x', subject: email })).allowed).toBe(true);
    const blocked = await limiter.attempt({ source: 'ip:x', subject: 'd' });
    expect(blocked).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect((await limiter.attempt({ source: 'ip:y', subject: 'd' })).allowed).toBe(true);
    advance(61);
    // 'a' waits its own delay: a refusal there gives the source slot back
    expect((await limiter.attempt({ source: 'ip:x', subject: 'e' })).allowed).toBe(true);
  });

  it('lets no more than freeAttempts of a parallel burst through', async () => {
    const { limiter } = setup({ freeAttempts: 3 });
    const results = await Promise.all(Array.from({ length: 20 }, () => limiter.attempt({ source: 'ip:a', subject: 'k' })));
    expect(results.filter((r) => r.allowed)).toHaveLength(3);
  });
});
