import { expectOk, type Staff } from './staff.ts';

/** The returns queue, oldest first (the API's order), optionally of one status. */
export async function listReturns(staff: Staff, status?: 'requested' | 'approved' | 'refused' | 'received') {
  return expectOk(staff, staff.client.GET('/api/admin/returns', { params: { query: { limit: 100, ...(status ? { status } : {}) } }, headers: staff.headers() }));
}

export type ReturnRow = Awaited<ReturnType<typeof listReturns>>['returns'][number];

export async function decideReturn(staff: Staff, id: string, decision: 'approve' | 'refuse', note: string | undefined) {
  const body = note ? { note } : {};
  const options = { params: { path: { id } }, body, headers: staff.headers(true) };
  return expectOk(staff, decision === 'approve' ? staff.client.POST('/api/admin/returns/{id}/approve', options) : staff.client.POST('/api/admin/returns/{id}/refuse', options));
}

export async function receiveReturn(staff: Staff, id: string, disposition: 'restock' | 'write_off') {
  return expectOk(staff, staff.client.POST('/api/admin/returns/{id}/receive', { params: { path: { id } }, body: { disposition }, headers: staff.headers(true) }));
}
