/**
 * Child process of the columnar kill test: runs the batch over the lake at `argv[2]` as of
 * `argv[3]` (ms) again and again, a replay every other run, printing `run <n>` as each starts.
 * Each run compacts the days whose raw listing changed; a replay deletes every copy and compacts
 * them all again. It never stops on its own; the test kills it with SIGKILL.
 */
import { replayBatch, runBatch } from '../../src/batch/index.ts';

const [lake, at] = process.argv.slice(2);
if (!lake || !at) throw new Error('usage: columnar-copy.writer-script.ts <lake dir> <now ms>');
const now = Number(at);
for (let run = 0; ; run++) {
  process.stdout.write(`run ${run}\n`);
  if (run % 2 === 1) await replayBatch({ lake, tenants: ['acme'], now, threads: 1 });
  else await runBatch({ lake, tenants: ['acme'], now, threads: 1 });
}
