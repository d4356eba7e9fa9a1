import type { BatchProgress } from './run-batch.ts';

const WIDTH = 30;

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** One line of progress: bar (on a TTY), periods done, raw events/s and the ETA from the pace so far. */
export function formatProgress(p: BatchProgress, tty: boolean): string {
  const fraction = p.total === 0 ? 1 : p.done / p.total;
  const eta = p.done === 0 ? Infinity : (p.elapsedMs / p.done) * (p.total - p.done);
  const rate = p.elapsedMs > 0 ? Math.round((p.rawEvents / p.elapsedMs) * 1000) : 0;
  const filled = Math.round(fraction * WIDTH);
  const bar = tty ? `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ` : '';
  return `${bar}${p.done}/${p.total} ${Math.round(fraction * 100)}% ${p.tenantId} ${p.date} events=${p.stats.events} dup=${p.stats.duplicates} late=${p.stats.late} ${rate.toLocaleString('en-US')} raw ev/s ETA ${duration(eta)}`;
}

/** A progress printer: redraws one line on a TTY, prints a line per period otherwise. */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update(p: BatchProgress): void; done(): void } {
  const tty = stream.isTTY === true;
  return {
    update(p) {
      if (tty) stream.write(`\r\x1b[2K${formatProgress(p, true)}`);
      else stream.write(`${formatProgress(p, false)}\n`);
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
