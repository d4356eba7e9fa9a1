/**
 * How long the forwarder waits after `failures` consecutive failed sends: exponential from
 * `baseMs`, capped at `maxMs`, so a collector that is down for an hour costs a request every
 * `maxMs`, not a tight loop. A collector's `Retry-After` wins when it asks for longer.
 */
export function forwardBackoffMs(failures: number, policy: { baseMs: number; maxMs: number }, retryAfterMs = 0): number {
  if (failures <= 0) return 0;
  const planned = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.max(planned, Math.min(retryAfterMs, policy.maxMs));
}
