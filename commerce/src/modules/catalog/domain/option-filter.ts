/** Option names as variants store them: `size`, `colour`, `material`... */
export const OPTION_NAME = /^[a-z][a-z0-9_]{0,31}$/;
/** A filter term as URLs carry it: `size:M`, the option's name, a colon, one of its values. */
export const OPTION_TERM = /^[a-z][a-z0-9_]{0,31}:[^\u0000]{1,64}$/;
/** At most this many terms in one listing: bounds the SQL a request can build. */
export const MAX_OPTION_TERMS = 20;

/**
 * The terms grouped by option name, values in first-seen order without repeats. A product
 * matches when one of its variants has, for every named option, one of the listed values:
 * values of one option are alternatives (M or L), different options all apply (M and Blue).
 */
export function groupOptionTerms(terms: readonly string[]): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  for (const term of terms) {
    const colon = term.indexOf(':');
    const name = term.slice(0, colon);
    const value = term.slice(colon + 1);
    const values = (grouped[name] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  return grouped;
}
