import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch } from './index.ts';
import { writeRaw } from '../../test/batch/batch.fixture.ts';
const lake = await mkdtemp(join(tmpdir(), 'prof-'));
const t = '2026-03-10T10:00:00.000Z';
await writeRaw(lake, [{ tenantId: 'e', messageId: 'a', type: 'identify', timestamp: t, receivedAt: t, properties: {}, context: {}, isBot: false }]);
for (let i = 0; i < 2; i++) {
  const s = performance.now();
  await runBatch({ lake, tenants: ['e'], now: Date.parse('2026-03-11T01:00:00Z'), from: '2026-03-10', to: '2026-03-10' });
  console.log('run', performance.now() - s);
}
