/** What the shopper reads about a variant's stock. */
export function stockLabel(available: number): { text: string; tone: 'ok' | 'low' | 'out' } {
  if (available <= 0) return { text: 'Out of stock', tone: 'out' };
  if (available <= 5) return { text: `Only ${available} left`, tone: 'low' };
  return { text: 'In stock', tone: 'ok' };
}
