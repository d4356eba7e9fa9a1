import type { KeyValueStore } from '../../../shared/kv/index.ts';
import type { KnownDevices } from '../application/ports/users.ports.ts';

/**
 * Devices (browsers, apps) that signed in to an account, by digest of their device token and of
 * the email. A device counts as known for that account only: a made-up token is unknown everywhere.
 */
export function createKvKnownDevices(kv: KeyValueStore, options: { ttlSeconds: number; prefix?: string }): KnownDevices {
  const prefix = options.prefix ?? 'users:known-device:';
  return {
    async isKnown(deviceDigest, accountDigest) {
      return (await kv.get(`${prefix}${deviceDigest}:${accountDigest}`)) !== null;
    },
    async remember(deviceDigest, accountDigest) {
      await kv.set(`${prefix}${deviceDigest}:${accountDigest}`, '1', options.ttlSeconds);
    },
  };
}
