import { build, type Histogram } from 'hdr-histogram-js';
import { Pool } from 'undici';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  /** non-2xx answers by status */
  statuses: Record<string, number>;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * A closed-loop load generator: `concurrency` workers each send the next request as soon
 * as the previous answered, for `seconds` (bounded in time and aimed only at loopback).
 * Latencies go into an HDR histogram (microsecond resolution).
 */
export async function runLoad(options: {
  name: string;
  baseUrl: string;
  concurrency: number;
  seconds: number;
  next: (worker: number, i: number) => RequestSpec | Promise<RequestSpec>;
}): Promise<LoadResult> {
  const url = new URL(options.baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('load tests target loopback only');
  const pool = new Pool(url.origin, { connections: options.concurrency, pipelining: 1 });
  const histogram: Histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const statuses: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;

  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      let i = 0;
      while (performance.now() < deadline) {
        const spec = await options.next(worker, i++);
        const t0 = performance.now();
        try {
          const res = await pool.request({
            method: spec.method,
            path: spec.path,
            headers: { ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }), ...spec.headers },
            body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
          });
          await res.body.dump();
          histogram.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
          requests++;
          if (res.statusCode >= 300) statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  const ms = (p: number) => Math.round(histogram.getValueAtPercentile(p) / 10) / 100;
  return {
    name: options.name,
    requests,
    errors,
    statuses,
    seconds: Math.round(seconds * 10) / 10,
    rps: Math.round(requests / seconds),
    p50: ms(50),
    p95: ms(95),
    p99: ms(99),
    max: ms(100),
  };
}

export function printResults(results: LoadResult[]): void {
  console.log('\n| scenario | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | errors |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const bad = Object.entries(r.statuses).map(([s, n]) => `${s}:${n}`).join(' ') || '0';
    console.log(`| ${r.name} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} | ${bad} | ${r.errors} |`);
  }
}
