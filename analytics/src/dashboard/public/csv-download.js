import { call } from './api.js';

/**
 * Downloads a panel's CSV (`/v1/query.csv` with the panel's parameters, through the SDK). The read
 * key travels as a header, so the file is fetched and handed to the browser as a blob, not linked.
 */
export async function downloadCsv(params, key) {
  const { data: blob, response } = await call('GET', '/v1/query.csv', { params, key, accept: 'text/csv', parseAs: 'blob' });
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${params.metric}.csv`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
