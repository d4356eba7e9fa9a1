/** Runs a committed transaction's `onCommit` callbacks; one failing does not stop the others. */
export function runCommitted(callbacks: ReadonlyArray<() => void>): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch {
      // documented: callbacks must not throw; the transaction has committed either way
    }
  }
}

/**
 * Runs a transaction's `beforeCommit` callbacks in the order they were added, those added while
 * they run included; the first that throws stops them, and the transaction rolls back.
 */
export async function runBeforeCommit(callbacks: Array<() => Promise<void>>): Promise<void> {
  for (let next = callbacks.shift(); next; next = callbacks.shift()) await next();
}
