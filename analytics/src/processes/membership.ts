import { z } from 'zod';

/**
 * The `<ROLE>_MEMBER_INDEX` variable of a role run as several processes over the log partitions
 * (each takes the partitions `p % count == index`).
 */
export const memberIndexEnv = (countVariable: string) =>
  z.coerce
    .number({ message: 'must be an integer' })
    .int({ message: 'must be an integer' })
    .min(0)
    .default(0)
    .describe(`The place of this process among ${countVariable} processes (0-based); it takes the partitions \`p % count == index\`.`);

/** Fails fast on an index that names no member: that process would take no partition at all. */
export function checkMembership(role: 'SPEED' | 'ARCHIVE', index: number, count: number): void {
  if (index >= count) throw new Error(`${role}_MEMBER_INDEX must be below ${role}_MEMBER_COUNT (${count})`);
}
