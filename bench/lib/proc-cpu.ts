import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second (`getconf CLK_TCK`): 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system, every thread) a process has used so far, from `/proc/<pid>/stat`:
 * what the kernel charged it, so other engineers' load on a shared machine does not inflate it
 * the way it inflates wall-clock throughput. Resolution: 10 ms.
 */
export function cpuSeconds(pid: number | 'self' = 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, field 3; utime is 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Milliseconds of CPU per 1,000 events between two `cpuSeconds` readings, as printed in tables. */
export function cpuMsPerThousand(before: number, after: number, events: number): string {
  return events > 0 ? (((after - before) * 1000) / (events / 1000)).toFixed(2) : '-';
}
