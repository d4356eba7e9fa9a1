import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where an executable is on PATH (or the given absolute path), or undefined. */
function which(name: string): string | undefined {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Whether a suite that starts its own engine processes (a cluster of nats-server, say) can run.
 * Like `realEngine`: without the binary the suite is skipped, except under `REQUIRE_SERVICES=1`
 * (CI), where a missing binary is a failure; `REQUIRE_SERVICES=0` (the engine-free run) skips it.
 *
 * @example
 * const natsServer = realBinary('nats-server');
 * describe.skipIf(!natsServer.available)('on a three-node cluster', () => { ... });
 */
export function realBinary(name: string): { available: boolean; path: string } {
  // `npm run test:engine-free` (REQUIRE_SERVICES=0) leaves out every engine, those a test starts too.
  if (process.env.REQUIRE_SERVICES === '0') return { available: false, path: name };
  const path = which(name);
  if (!path && process.env.REQUIRE_SERVICES === '1') throw new Error(`REQUIRE_SERVICES=1 but ${name} is not on PATH`);
  return { available: path !== undefined, path: path ?? name };
}
