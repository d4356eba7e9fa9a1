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
