/**
 * Child process of the crash test: appends batches to the file log at `argv[2]` from several
 * concurrent loops and prints `{"batch":n,"size":k}` once each batch's append has resolved.
 * It never stops on its own; the test kills it with SIGKILL.
 */
import { createFileLog } from '../../src/log/file-log.adapter.ts';
import { testRecord } from './log-test-events.fixture.ts';

const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];
const CRASH_BATCH_SIZE = 40;

const dir = process.argv[2];
if (!dir) throw new Error('usage: file-log-crash.writer-script.ts <dir>');
const log = await createFileLog({ dir, partitions: 4 });
let nextBatch = 0;

async function loop(): Promise<never> {
  for (;;) {
    const batch = nextBatch++;
    const records = Array.from({ length: CRASH_BATCH_SIZE }, (_, i) =>
      testRecord(TENANTS[(batch + i) % TENANTS.length]!, `b${batch}-${i}`),
    );
    await log.append(records);
    process.stdout.write(`${JSON.stringify({ batch, size: CRASH_BATCH_SIZE })}\n`);
  }
}

await Promise.all([loop(), loop(), loop(), loop()]);
