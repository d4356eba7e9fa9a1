import { readFileSync, readdirSync } from 'node:fs';
import pg from 'pg';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one process in ms, from /proc/<pid>/stat; undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The process and all its descendants (an app started through tsx may run helpers). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${out[i]}/task`)) {
        const children = readFileSync(`/proc/${out[i]}/task/${task}/children`, 'utf8').trim();
        if (children) out.push(...children.split(' ').map(Number));
      }
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

export function treeCpuMs(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (processCpuMs(p) ?? 0), 0);
}

/** Connections of the benchmark itself carry this name and are left out of the figures. */
export const MONITOR_APPLICATION = 'bench-monitor';

/**
 * CPU of the PostgreSQL backends serving one database, which the machine's other users do not
 * share: their pids come from pg_stat_activity (asked through a connection to another database,
 * so the monitor's own backend is not counted), their CPU from /proc. Sampled twice a second so a
 * backend that exits mid-run still counts up to its last sample. Background processes (WAL
 * writer, checkpointer) serve every database on the server and are reported apart.
 */
export function postgresCpuMeter(monitorUrl: string, database: string) {
  const client = new pg.Client({ connectionString: monitorUrl });
  const last = new Map<number, number>();
  let baseline = new Map<number, number>();
  let timer: NodeJS.Timeout | undefined;
  let background: number[] = [];

  async function sample(): Promise<void> {
    const { rows } = await client.query<{ pid: number; backend_type: string; datname: string | null }>(
      `select pid, backend_type, datname from pg_stat_activity where pid <> pg_backend_pid() and application_name <> $1`,
      [MONITOR_APPLICATION],
    );
    background = rows.filter((r) => r.datname === null && r.backend_type !== 'client backend').map((r) => r.pid);
    for (const r of rows) {
      if (r.datname !== database) continue;
      const cpu = processCpuMs(r.pid);
      if (cpu !== undefined) last.set(r.pid, cpu);
    }
  }
  const backendTotal = () => [...last].reduce((sum, [pid, cpu]) => sum + cpu - (baseline.get(pid) ?? 0), 0);
  const backgroundTotal = () => background.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);
  let backgroundStart = 0;

  return {
    async start() {
      await client.connect();
      await sample();
      baseline = new Map(last);
      backgroundStart = backgroundTotal();
      timer = setInterval(() => void sample().catch(() => undefined), 500);
    },
    /** CPU ms since `mark()` (or start): the database's backends, and the server's shared background processes. */
    async read() {
      await sample();
      return { backends: backendTotal(), background: backgroundTotal() - backgroundStart };
    },
    async mark() {
      await sample();
      baseline = new Map(last);
      backgroundStart = backgroundTotal();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await client.end();
    },
  };
}

/**
 * CPU seconds (user + system, every thread) a process has used so far: what the kernel charged
 * it, so other load on a shared machine does not inflate it the way it inflates wall-clock
 * throughput. Resolution: 10 ms.
 */
export function cpuSeconds(pid: number | 'self' = 'self'): number {
  return (processCpuMs(pid === 'self' ? process.pid : pid) ?? Number.NaN) / 1000;
}

/** Milliseconds of CPU per 1,000 events between two `cpuSeconds` readings, as printed in tables. */
export function cpuMsPerThousand(before: number, after: number, events: number): string {
  return events > 0 ? (((after - before) * 1000) / (events / 1000)).toFixed(2) : '-';
}

/**
 * utime + stime in ms of each thread of one process, summed by the thread's name (/proc/<pid>/task/<tid>/comm):
 * the main thread is named by its pid as 'main'; worker threads that name themselves (the
 * analytics app's `speed-0`, `archiver`) keep their names; the rest are summed as 'other'
 * (V8's compiler and GC helpers, libuv's file-system pool).
 */
export function threadCpuMsByName(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
      const name = Number(tid) === pid ? 'main' : /^(speed-\d+|archiver)$/.test(comm) ? comm.replace(/-\d+$/, '') : 'other';
      out.set(name, (out.get(name) ?? 0) + ms);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}
