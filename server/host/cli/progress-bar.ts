// A one-line progress bar on a terminal (stderr), redrawn at most ten times a second: users, messages
// and bytes done of the total, the rate and an ETA from the messages per second so far. Nothing is
// drawn when stderr is not a terminal, so scripts and logs get only the final report.
import { formatSize } from '../../admin/size.js';
import type { ImportProgress } from '../../import/run-import.js';
import { printable } from './output.js';

const WIDTH = 24;
const REDRAW_MS = 100;

export interface ProgressBar {
  update(progress: ImportProgress): void;
  /** Clears the line (before the report is printed). */
  end(): void;
}

/** The bar's text for `progress` after `elapsedMs`. */
export function progressLine(p: ImportProgress, elapsedMs: number): string {
  const total = Math.max(p.messages.total, p.messages.done);
  const fraction = total === 0 ? 1 : p.messages.done / total;
  const filled = Math.round(fraction * WIDTH);
  const rate = elapsedMs > 0 ? (p.messages.done * 1000) / elapsedMs : 0;
  const left = rate > 0 ? Math.round((total - p.messages.done) / rate) : undefined;
  const eta = left === undefined ? '--:--' : `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  const where = [p.user, p.folder].filter(Boolean).join(' ');
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${Math.floor(fraction * 100)}% ` +
    `users ${p.users.done}/${p.users.total}  messages ${p.messages.done}/${total}  ${formatSize(p.bytes.done)}  ` +
    `${Math.round(rate)} msg/s  ETA ${eta}${where ? `  ${printable(where)}` : ''}`
  );
}

export function createProgressBar(stream: NodeJS.WriteStream, now: () => number = Date.now): ProgressBar {
  const start = now();
  let last = 0;
  let drawn = false;
  return {
    update(progress) {
      if (!stream.isTTY) return;
      const t = now();
      if (t - last < REDRAW_MS && progress.stage !== 'done') return;
      last = t;
      const columns = stream.columns ?? 100;
      stream.write(`\r${progressLine(progress, t - start).slice(0, columns - 1)}\x1b[K`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
