import type { paths } from '@shop/sdk';
import { toApiError } from '@shop/web';
import { expectOk, type Staff } from './staff.ts';

export type Category = paths['/api/admin/categories/{id}']['patch']['responses'][200]['content']['application/json'];

export interface CategoryOption {
  id: string;
  slug: string;
  /** Indented by depth for a select: "Clothing › T-shirts". */
  label: string;
}

/** One category of the tree, flattened: its depth and its ancestors' ids keep the shape. */
export interface CategoryRow extends CategoryOption {
  name: string;
  parentId: string | null;
  depth: number;
  /** This category's ancestors, root first: a parent may not be chosen among them and itself. */
  ancestors: string[];
  childCount: number;
}

interface Node {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  children: Node[];
}

/** The category tree flattened, parents before children, in the API's order. */
export async function categoryRows(staff: Staff): Promise<CategoryRow[]> {
  const { items } = await expectOk(staff, staff.client.GET('/api/categories', { headers: staff.headers() }));
  const out: CategoryRow[] = [];
  const walk = (nodes: Node[], trail: Node[]) => {
    for (const n of nodes) {
      out.push({
        id: n.id,
        slug: n.slug,
        name: n.name,
        parentId: n.parentId,
        label: [...trail.map((t) => t.name), n.name].join(' › '),
        depth: trail.length,
        ancestors: trail.map((t) => t.id),
        childCount: n.children.length,
      });
      walk(n.children, [...trail, n]);
    }
  };
  walk(items as Node[], []);
  return out;
}

/** The category tree flattened for selects and filters, parents before children. */
export async function categoryOptions(staff: Staff): Promise<CategoryOption[]> {
  return (await categoryRows(staff)).map(({ id, slug, label }) => ({ id, slug, label }));
}

export interface CategoryFields {
  name?: string;
  slug?: string;
  parentId?: string | null;
}

export const createCategory = (staff: Staff, body: CategoryFields & { name: string; slug: string }) =>
  expectOk(staff, staff.client.POST('/api/admin/categories', { body, headers: staff.headers(true) }));

export const updateCategory = (staff: Staff, id: string, body: CategoryFields) =>
  expectOk(staff, staff.client.PATCH('/api/admin/categories/{id}', { params: { path: { id } }, body, headers: staff.headers(true) }));

export async function deleteCategory(staff: Staff, id: string): Promise<void> {
  const { response, error } = await staff.client.DELETE('/api/admin/categories/{id}', { params: { path: { id } }, headers: staff.headers(true) });
  staff.absorb(response);
  if (!response.ok) throw toApiError(response.status, error);
}
