import type { paths } from '@shop/sdk';
import { expectOk, type Staff } from './staff.ts';

export type Promotion = paths['/api/admin/promotions']['get']['responses'][200]['content']['application/json']['promotions'][number];
export type NewPromotion = paths['/api/admin/promotions']['post']['requestBody']['content']['application/json'];
export type RegionsView = paths['/api/admin/regions']['get']['responses'][200]['content']['application/json'];

export async function listPromotions(staff: Staff): Promise<Promotion[]> {
  return (await expectOk(staff, staff.client.GET('/api/admin/promotions', { params: { query: { limit: 200 } }, headers: staff.headers() }))).promotions;
}

export function createPromotion(staff: Staff, body: NewPromotion): Promise<Promotion> {
  return expectOk(staff, staff.client.POST('/api/admin/promotions', { body, headers: staff.headers(true) }));
}

export function disablePromotion(staff: Staff, id: string): Promise<Promotion> {
  return expectOk(staff, staff.client.POST('/api/admin/promotions/{id}/disable', { params: { path: { id } }, headers: staff.headers(true) }));
}

export function regionsWithRates(staff: Staff): Promise<RegionsView> {
  return expectOk(staff, staff.client.GET('/api/admin/regions', { headers: staff.headers() }));
}
