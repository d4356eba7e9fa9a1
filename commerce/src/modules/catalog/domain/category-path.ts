/**
 * A category's path is the chain of slugs from the root (`men/shirts`), so "this category
 * and everything below it" is one indexed prefix match. Slugs never contain `/`, `%` or `_`,
 * which keeps the prefix safe inside LIKE.
 */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const childPath = (parentPath: string | null, slug: string): string => (parentPath ? `${parentPath}/${slug}` : slug);

/** Whether `candidate` is `path` itself or lies below it: moving a category there would make a cycle. */
export const isSelfOrDescendant = (path: string, candidate: string): boolean =>
  candidate === path || candidate.startsWith(`${path}/`);
