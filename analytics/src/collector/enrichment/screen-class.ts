/** Breakpoints of common CSS frameworks, in CSS pixels of the screen's width. */
const CLASSES: ReadonlyArray<[maxWidth: number, name: string]> = [
  [576, 'small'],
  [992, 'medium'],
  [1440, 'large'],
];

/**
 * The screen size class from Segment's `context.screen` ({ width, height }): `small` (phones),
 * `medium` (tablets), `large` (laptops), `xlarge`; undefined without a usable width.
 */
export function screenClass(screen: unknown): string | undefined {
  if (screen === null || typeof screen !== 'object') return undefined;
  const width = Number((screen as Record<string, unknown>).width);
  if (!Number.isFinite(width) || width <= 0 || width > 100_000) return undefined;
  for (const [max, name] of CLASSES) if (width < max) return name;
  return 'xlarge';
}
