/**
 * Sums quantities per variant and sorts by variant id: a cart may name one variant on two
 * lines, and the check must see the total, never each line alone. The id order is the lock order.
 */
export function sumByVariant(lines: readonly { variantId: string; quantity: number }[]): { variantId: string; quantity: number }[] {
  const totals = new Map<string, number>();
  for (const { variantId, quantity } of lines) {
    if (!Number.isSafeInteger(quantity) || quantity <= 0) throw new Error(`stock quantity for ${variantId} must be a positive integer, got ${quantity}`);
    const id = variantId.toLowerCase();
    totals.set(id, (totals.get(id) ?? 0) + quantity);
  }
  return [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([variantId, quantity]) => ({ variantId, quantity }));
}
