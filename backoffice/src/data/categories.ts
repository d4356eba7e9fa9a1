import { expectOk, type Staff } from './staff.ts';

export interface CategoryOption {
  id: string;
  slug: string;
  /** Indented by depth for a select: "Clothing › T-shirts". */
  label: string;
}

interface Node {
  id: string;
  slug: string;
  name: string;
  children: Node[];
}

/** The category tree flattened for selects and filters, parents before children. */
export async function categoryOptions(staff: Staff): Promise<CategoryOption[]> {
  const { items } = await expectOk(staff, staff.client.GET('/api/categories', { headers: staff.headers() }));
  const out: CategoryOption[] = [];
  const walk = (nodes: Node[], trail: string[]) => {
    for (const n of nodes) {
      out.push({ id: n.id, slug: n.slug, label: [...trail, n.name].join(' › ') });
      walk(n.children, [...trail, n.name]);
    }
  };
  walk(items as Node[], []);
  return out;
}
