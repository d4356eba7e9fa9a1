/**
 * Whether a parsed JSON value nests deeper than `max` levels. `JSON.parse` accepts thousands of
 * levels that `JSON.stringify`, `structuredClone` and every log adapter then overflow the stack
 * on, so depth is checked before anything else touches the event. The recursion stops at `max`,
 * so its own stack never goes deeper than that, whatever the input; it allocates nothing, since
 * it runs on every event the collector sees.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  return typeof value === 'object' && value !== null && deeper(value, 0, max);
}

function deeper(node: object, depth: number, max: number): boolean {
  if (depth >= max) return true;
  if (Array.isArray(node)) {
    for (const child of node) if (typeof child === 'object' && child !== null && deeper(child, depth + 1, max)) return true;
    return false;
  }
  const record = node as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const child = record[key];
    if (typeof child === 'object' && child !== null && deeper(child, depth + 1, max)) return true;
  }
  return false;
}
