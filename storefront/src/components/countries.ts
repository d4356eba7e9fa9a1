/** The countries the demo shop ships to (commerce's SHIPPING_COUNTRIES default), by name. */
export const COUNTRIES: readonly [string, string][] = [
  ['AT', 'Austria'], ['BE', 'Belgium'], ['DK', 'Denmark'], ['FI', 'Finland'], ['FR', 'France'], ['DE', 'Germany'],
  ['IE', 'Ireland'], ['IT', 'Italy'], ['LU', 'Luxembourg'], ['NL', 'Netherlands'], ['PL', 'Poland'], ['PT', 'Portugal'],
  ['ES', 'Spain'], ['SE', 'Sweden'], ['GB', 'United Kingdom'], ['US', 'United States'], ['JP', 'Japan'],
];
