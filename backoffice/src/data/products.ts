import type { paths } from '@shop/sdk';
import { toApiError } from '@shop/web';
import { expectOk, okOrNull, type Staff } from './staff.ts';

export type AdminProduct = paths['/api/admin/products/{id}']['get']['responses'][200]['content']['application/json'];
export type ProductSummary = paths['/api/admin/products']['get']['responses'][200]['content']['application/json']['items'][number];
export type StockAdjustment = paths['/api/admin/variants/{id}/stock-adjustments']['get']['responses'][200]['content']['application/json']['items'][number];

export interface ProductFilters {
  q?: string | undefined;
  status?: 'draft' | 'published' | undefined;
  category?: string | undefined;
  inStock?: boolean | undefined;
  cursor?: string | undefined;
}

export async function listProducts(staff: Staff, f: ProductFilters, limit = 25) {
  return expectOk(
    staff,
    staff.client.GET('/api/admin/products', {
      params: { query: { q: f.q, status: f.status, category: f.category, inStock: f.inStock === undefined ? undefined : String(f.inStock), cursor: f.cursor, limit } },
      headers: staff.headers(),
    }),
  );
}

export const getProduct = (staff: Staff, id: string) =>
  okOrNull(staff, staff.client.GET('/api/admin/products/{id}', { params: { path: { id } }, headers: staff.headers() }));

export interface ProductFields {
  name?: string;
  slug?: string;
  description?: string;
  categoryId?: string | null;
  status?: 'draft' | 'published';
  images?: string[];
}

export const createProduct = (staff: Staff, body: ProductFields & { name: string; slug: string }) =>
  expectOk(staff, staff.client.POST('/api/admin/products', { body, headers: staff.headers(true) }));

export const updateProduct = (staff: Staff, id: string, body: ProductFields) =>
  expectOk(staff, staff.client.PATCH('/api/admin/products/{id}', { params: { path: { id } }, body, headers: staff.headers(true) }));

export async function deleteProduct(staff: Staff, id: string): Promise<void> {
  const { response, error } = await staff.client.DELETE('/api/admin/products/{id}', { params: { path: { id } }, headers: staff.headers(true) });
  staff.absorb(response);
  if (!response.ok) throw toApiError(response.status, error);
}

export interface VariantFields {
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  currency: string;
  weightGrams: number;
}

export const createVariant = (staff: Staff, productId: string, body: VariantFields & { onHand?: number }) =>
  expectOk(staff, staff.client.POST('/api/admin/products/{id}/variants', { params: { path: { id: productId } }, body, headers: staff.headers(true) }));

export const updateVariant = (staff: Staff, id: string, body: Partial<VariantFields>) =>
  expectOk(staff, staff.client.PATCH('/api/admin/variants/{id}', { params: { path: { id } }, body, headers: staff.headers(true) }));

export async function deleteVariant(staff: Staff, id: string): Promise<void> {
  const { response, error } = await staff.client.DELETE('/api/admin/variants/{id}', { params: { path: { id } }, headers: staff.headers(true) });
  staff.absorb(response);
  if (!response.ok) throw toApiError(response.status, error);
}

export const adjustStock = (staff: Staff, variantId: string, delta: number, reason: string) =>
  expectOk(staff, staff.client.POST('/api/admin/variants/{id}/stock-adjustments', { params: { path: { id: variantId } }, body: { delta, reason }, headers: staff.headers(true) }));

export const stockHistory = async (staff: Staff, variantId: string, limit = 20) =>
  (await expectOk(staff, staff.client.GET('/api/admin/variants/{id}/stock-adjustments', { params: { path: { id: variantId }, query: { limit } }, headers: staff.headers() }))).items;
