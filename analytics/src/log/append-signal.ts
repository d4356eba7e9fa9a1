/**
 * Lets `read` sleep at the end of a partition until an append lands there (or a timeout),
 * instead of polling.
 */
export class AppendSignal {
  private readonly waiters = new Map<number, Set<() => void>>();

  /** Resolves on the next `notify(partition)`, on `notifyAll`, or after `ms`. */
  wait(partition: number, ms: number): Promise<void> {
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
    for (const wake of [...(this.waiters.get(partition) ?? [])]) wake();
  }

  notifyAll(): void {
    for (const partition of this.waiters.keys()) this.notify(partition);
  }
}
