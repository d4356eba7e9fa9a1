/** One ranked item of a top-K answer. */
export interface TopKItem {
  item: string;
  count: number;
}

/**
 * Counts per item, capped at `capacity` items; what falls off is summed into `other` so totals
 * stay exact. While the distinct items of a bucket fit the capacity (the stores keep 1,000 per
 * bucket, far above the K a dashboard asks for) the ranking is exact; past it, an item that
 * became frequent only after being dropped can be under-ranked, and `other` says how much is
 * unattributed. Merging sums counts, so buckets roll up into hours and days in any order.
 */
export class TopKSummary {
  readonly counts = new Map<string, number>();
  other = 0;

  constructor(readonly capacity: number) {}

  add(item: string, count = 1): this {
    this.counts.set(item, (this.counts.get(item) ?? 0) + count);
    if (this.counts.size > this.capacity * 2) this.trim();
    return this;
  }

  merge(other: TopKSummary): this {
    for (const [item, count] of other.counts) this.counts.set(item, (this.counts.get(item) ?? 0) + count);
    this.other += other.other;
    if (this.counts.size > this.capacity) this.trim();
    return this;
  }

  /** The `k` largest, ties broken by item so every layer ranks alike. */
  top(k: number): TopKItem[] {
    return ranked(this.counts).slice(0, k);
  }

  total(): number {
    let sum = this.other;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  private trim(): void {
    const keep = ranked(this.counts);
    for (const { item, count } of keep.slice(this.capacity)) {
      this.counts.delete(item);
      this.other += count;
    }
  }
}

function ranked(counts: Map<string, number>): TopKItem[] {
  return [...counts].map(([item, count]) => ({ item, count })).sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
}
