import { expectOk, type Staff } from './staff.ts';

export async function listDeadLetters(staff: Staff, q: { subscriber?: string | undefined; beforeId?: number | undefined }, limit = 50) {
  const query = { ...q, limit } as never;
  return (await expectOk(staff, staff.client.GET('/api/admin/events/dead-letters', { params: { query }, headers: staff.headers() }))).deliveries;
}

export async function replayDeadLetters(staff: Staff, ids: number[]) {
  return expectOk(staff, staff.client.POST('/api/admin/events/dead-letters/replay', { body: { ids }, headers: staff.headers(true) }));
}

export async function listMail(staff: Staff, limit = 100) {
  return (await expectOk(staff, staff.client.GET('/api/admin/mail', { params: { query: { limit } }, headers: staff.headers() }))).messages;
}

export async function getMail(staff: Staff, id: string) {
  return expectOk(staff, staff.client.GET('/api/admin/mail/{id}', { params: { path: { id }, query: { format: 'json' } }, headers: staff.headers() }));
}

/** The message's HTML as the API serves it (sandboxed); the back office frames it from its own origin. */
export async function getMailHtml(staff: Staff, id: string): Promise<string | null> {
  const { data, response } = await staff.client.GET('/api/admin/mail/{id}/html', { params: { path: { id } }, headers: staff.headers(), parseAs: 'text' });
  staff.absorb(response);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`mail ${id}: ${response.status}`);
  return String(data ?? '');
}

export async function getHealth(staff: Staff) {
  return expectOk(staff, staff.client.GET('/api/admin/health', { headers: staff.headers() }));
}
