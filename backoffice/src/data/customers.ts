import { expectOk, okOrNull, type Staff } from './staff.ts';

export async function listCustomers(staff: Staff, q: { search?: string | undefined; cursor?: string | undefined }, limit = 25) {
  return expectOk(staff, staff.client.GET('/api/admin/customers', { params: { query: { ...q, limit } as never }, headers: staff.headers() }));
}

export async function getCustomer(staff: Staff, id: string) {
  return okOrNull(staff, staff.client.GET('/api/admin/customers/{id}', { params: { path: { id } }, headers: staff.headers() }));
}
