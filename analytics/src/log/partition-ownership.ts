/**
 * Which partitions consumer process `memberIndex` of `memberCount` reads: partition p belongs
 * to member p mod memberCount. Every consumer role (speed layer, archiver) splits work this way,
 * whatever the log adapter, so N processes started with indexes 0..N-1 cover every partition
 * exactly once. Keep `partitions` a multiple of the member count for an even split.
 *
 * @example
 * // process 1 of 3 over 8 partitions reads [1, 4, 7]
 * ownedPartitions(1, 3, 8);
 */
export function ownedPartitions(memberIndex: number, memberCount: number, partitions: number): number[] {
  if (!Number.isInteger(memberCount) || memberCount < 1) throw new RangeError('memberCount must be a positive integer');
  if (!Number.isInteger(memberIndex) || memberIndex < 0 || memberIndex >= memberCount) {
    throw new RangeError(`memberIndex must be in 0..${memberCount - 1}`);
  }
  const owned: number[] = [];
  for (let p = memberIndex; p < partitions; p += memberCount) owned.push(p);
  return owned;
}
