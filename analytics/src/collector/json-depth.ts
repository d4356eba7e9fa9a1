/**
 * Whether a parsed JSON value nests deeper than `max` levels. Iterative on purpose:
 * `JSON.parse` accepts thousands of levels that `JSON.stringify`, `structuredClone` and
 * every log adapter then overflow the stack on, so depth is checked without recursion
 * before anything else touches the event.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}
