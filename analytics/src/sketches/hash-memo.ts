import { hash64 } from './hash64.ts';

/**
 * `hash64` remembered for the values seen most recently: the same person and session come back
 * event after event, and SHA-256 through `node:crypto` costs microseconds a call (a Hash object
 * and a digest Buffer each), a Map hit a fraction of that. The values stay SHA-256's, so sketches
 * stay byte-equal to the batch layer's and to every sketch already stored.
 *
 * Bounded by two generations: once the current one holds `capacity` values it becomes the old
 * one and the one before is dropped, so memory stays under 2 × `capacity` entries and a value
 * used in either generation is kept.
 */
export class HashMemo {
  private current = new Map<string, bigint>();
  private previous = new Map<string, bigint>();

  constructor(private readonly capacity = 65_536) {}

  hash(value: string): bigint {
    let hash = this.current.get(value);
    if (hash !== undefined) return hash;
    hash = this.previous.get(value) ?? hash64(value);
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(value, hash);
    return hash;
  }
}
