import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalyticsEvent } from '../../analytics/src/contracts/event.ts';

/** Writes events as the archiver lays them out: NDJSON per tenant, receive date and hour, offsets in the name. */
export async function writeRawLake(lake: string, events: readonly AnalyticsEvent[]): Promise<void> {
  const byHour = new Map<string, string[]>();
  for (const e of events) {
    const folder = `raw/tenant=${e.tenantId}/date=${e.receivedAt.slice(0, 10)}/hour=${e.receivedAt.slice(11, 13)}`;
    let lines = byHour.get(folder);
    if (!lines) byHour.set(folder, (lines = []));
    lines.push(JSON.stringify(e));
  }
  let position = 0;
  for (const [folder, lines] of byHour) {
    await mkdir(join(lake, folder), { recursive: true });
    await writeFile(join(lake, folder, `p0-${String(position).padStart(12, '0')}-${String(position + lines.length).padStart(12, '0')}.ndjson`), lines.join('\n') + '\n');
    position += lines.length;
  }
}
