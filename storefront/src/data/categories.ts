import type { Schema } from '@shop/sdk';
import { expectOk, type Shopper } from './shopper.ts';

export type CategoryNode = Schema<'CategoryNode'>;

const FRESH_MS = 30_000;
let cached: { at: number; tree: CategoryNode[] } | undefined;

/** The category tree; the same for every shopper, so kept for half a minute. */
export async function getCategoryTree(shopper: Shopper): Promise<CategoryNode[]> {
  if (cached && Date.now() - cached.at < FRESH_MS) return cached.tree;
  const { items } = await expectOk(shopper, shopper.client.GET('/api/categories', { headers: shopper.catalogHeaders() }));
  cached = { at: Date.now(), tree: items };
  return items;
}

export function findCategory(tree: CategoryNode[], slug: string): { node: CategoryNode; parents: CategoryNode[] } | null {
  for (const node of tree) {
    if (node.slug === slug) return { node, parents: [] };
    const inner = findCategory(node.children, slug);
    if (inner) return { node: inner.node, parents: [node, ...inner.parents] };
  }
  return null;
}

export function flattenCategories(tree: CategoryNode[]): CategoryNode[] {
  return tree.flatMap((n) => [n, ...flattenCategories(n.children)]);
}
