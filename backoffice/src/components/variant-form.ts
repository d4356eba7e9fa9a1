/** Form text <-> API values for variants: prices are typed in major units, options as `size=M, colour=Blue`. */

export function parsePrice(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

export const formatPrice = (minor: number) => (minor / 100).toFixed(2);

export function parseOptions(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 1) return null;
    out[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  return out;
}

export const formatOptions = (options: Record<string, string>) =>
  Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

export function parseWhole(text: string): number | null {
  const t = text.trim();
  return /^-?\d{1,9}$/.test(t) ? Number(t) : null;
}
