import { expectOk, type Staff } from './staff.ts';

/** Start of today (UTC): the home's "today" figures count from here. */
export const startOfToday = (now = new Date()) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

export async function getOrdersSummary(staff: Staff, since: Date) {
  return expectOk(staff, staff.client.GET('/api/admin/orders-summary', { params: { query: { since: since.toISOString() } }, headers: staff.headers() }));
}

export async function getLowStock(staff: Staff, threshold = 5, limit = 10) {
  return (await expectOk(staff, staff.client.GET('/api/admin/variants/low-stock', { params: { query: { threshold, limit } }, headers: staff.headers() }))).items;
}
