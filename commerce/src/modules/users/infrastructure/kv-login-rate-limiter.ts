import type { KeyValueStore } from '../../../shared/kv/index.ts';
import type { LoginRateLimiter } from '../application/ports/users.ports.ts';

/**
 * The port has no decrement; a few compare-and-set rounds give a slot back without losing a
 * concurrent count. The window's expiry is rewritten from the whole-second ttl, so it may drift
 * by under a second; that happens only on successful sign-ins.
 */
async function decrement(kv: KeyValueStore, key: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const current = await kv.get(key);
    if (current === null) return;
    const ttl = await kv.ttl(key);
    if (ttl <= 0) return;
    if (await kv.compareAndSet(key, current, String(Math.max(0, Number(current) - 1)), ttl)) return;
  }
}

/** Failures of one subject and when the last attempt started. */
interface SubjectState {
  failures: number;
  lastAttemptMs: number;
}

/** A subject's failures are forgotten after a day without attempts. */
const SUBJECT_MEMORY_SECONDS = 24 * 3600;
const CAS_ROUNDS = 10;

export interface LoginRateLimiterOptions {
  /** Failures a subject (email from one address, or a known device) may make before delays start. */
  freeAttempts: number;
  /** Longest delay between two attempts of one subject; also the window of the per-source count. */
  maxDelaySeconds: number;
  /** Failures one source (IP address) may make per window, across every account. */
  sourceMaxAttempts: number;
  now?: () => number;
  prefix?: string;
}

/**
 * Two limits in the shared cache, so they hold across instances:
 *
 * - per source (IP address): a fixed window of failures across all accounts, against spraying;
 * - per subject (an email from one address, or a device that has signed in to that account):
 *   `freeAttempts` failures, then each attempt waits 1, 2, 4... seconds (up to `maxDelaySeconds`)
 *   after the previous one. Guessing from one place gets slow fast, while nobody elsewhere is
 *   locked out: the owner's own devices and addresses are other subjects.
 *
 * Every attempt takes its slot before the password is checked (an atomic increment, or a
 * compare-and-set of the subject's state), so parallel guesses cannot overshoot; a successful
 * sign-in gives the source slot back and clears the subject.
 */
export function createKvLoginRateLimiter(kv: KeyValueStore, options: LoginRateLimiterOptions): LoginRateLimiter {
  const prefix = options.prefix ?? 'users:login-failures:';
  const now = options.now ?? Date.now;
  const delayMs = (failures: number) =>
    failures < options.freeAttempts ? 0 : Math.min(options.maxDelaySeconds, 2 ** (failures - options.freeAttempts)) * 1000;

  /** Takes the subject's next slot, or says how long until there is one. */
  async function takeSubject(key: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const raw = await kv.get(key);
      const state: SubjectState = raw ? (JSON.parse(raw) as SubjectState) : { failures: 0, lastAttemptMs: 0 };
      const at = now();
      const readyAt = state.lastAttemptMs + delayMs(state.failures);
      if (at < readyAt) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((readyAt - at) / 1000)) };
      const next: SubjectState = { failures: state.failures + 1, lastAttemptMs: at };
      if (await kv.compareAndSet(key, raw, JSON.stringify(next), SUBJECT_MEMORY_SECONDS)) return { ok: true };
    }
    // Others keep winning the race for this subject: that is a burst, and it waits.
    return { ok: false, retryAfterSeconds: 1 };
  }

  return {
    async attempt({ source, subject }) {
      const sourceKey = source === undefined ? undefined : `${prefix}source:${source}`;
      if (sourceKey) {
        const count = await kv.increment(sourceKey, options.maxDelaySeconds);
        if (count > options.sourceMaxAttempts) return { allowed: false, retryAfterSeconds: Math.max(1, await kv.ttl(sourceKey)) };
      }
      const subjectKey = `${prefix}subject:${subject}`;
      const taken = await takeSubject(subjectKey);
      if (!taken.ok) {
        // A refused attempt checks no password, so it does not spend the source's allowance.
        if (sourceKey) await decrement(kv, sourceKey);
        return { allowed: false, retryAfterSeconds: taken.retryAfterSeconds };
      }
      return {
        allowed: true,
        release: async () => {
          await Promise.all([kv.delete(subjectKey), sourceKey ? decrement(kv, sourceKey) : undefined]);
        },
      };
    },
  };
}
