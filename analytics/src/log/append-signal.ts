/**
 * Lets `read` sleep at the end of a partition until an append lands there (or a timeout),
 * instead of polling. Callers take `version(partition)` before looking for data and pass it to
 * `wait`, so an append that lands while they look is not missed.
 */
export class AppendSignal {
  private readonly waiters = new Map<number, Set<() => void>>();
  private readonly versions = new Map<number, number>();

  version(partition: number): number {
    return this.versions.get(partition) ?? 0;
  }

  /** Resolves on the next `notify(partition)` (at once if one came after `since`), on `notifyAll`, or after `ms`. */
  wait(partition: number, ms: number, since = this.version(partition)): Promise<void> {
    if (this.version(partition) !== since) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.waiters.get(partition);
      if (!set) this.waiters.set(partition, (set = new Set()));
      const wake = () => {
        clearTimeout(timer);
        set.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  notify(partition: number): void {
    this.versions.set(partition, this.version(partition) + 1);
    for (const wake of [...(this.waiters.get(partition) ?? [])]) wake();
  }

  notifyAll(): void {
    for (const partition of this.waiters.keys()) this.notify(partition);
  }
}
