import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ownedPartitions } from '../../src/log/partition-ownership.ts';

describe('ownedPartitions', () => {
  it('gives every partition to exactly one member, for any member count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 16 }), (partitions, members) => {
        const all = Array.from({ length: members }, (_, m) => ownedPartitions(m, members, partitions)).flat();
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: partitions }, (_, p) => p));
      }),
    );
  });

  it('splits evenly when partitions are a multiple of members', () => {
    expect(ownedPartitions(1, 3, 9)).toEqual([1, 4, 7]);
  });

  it('rejects a member index outside the group', () => {
    expect(() => ownedPartitions(3, 3, 9)).toThrow(RangeError);
  });
});
