// How commands print: one sentence per change, aligned tables for lists, one JSON document per
// command with --json. Text output never carries control characters raw: a display name with ESC or
// CR/LF stored before validation existed must not drive the admin's terminal.
import { formatSize } from '../../admin/size.js';
import type { LogRow } from '../../admin/contract.js';

export interface CliIo {
  /** A line of standard output. */
  print(line: string): void;
  /** A line of standard error. */
  error(line: string): void;
}

export const processIo: CliIo = {
  print: (line) => process.stdout.write(line + '\n'),
  error: (line) => process.stderr.write(line + '\n'),
};

export class Output {
  constructor(
    readonly io: CliIo,
    readonly json: boolean,
  ) {}

  item(value: unknown, message: string) {
    this.io.print(this.json ? JSON.stringify(value) : printable(message, true));
  }

  done(message: string) {
    this.io.print(this.json ? JSON.stringify({ ok: true }) : printable(message, true));
  }

  table(rows: object[], columns: string[]) {
    if (this.json) return this.io.print(JSON.stringify(rows));
    if (rows.length === 0) return this.io.print('(none)');
    const cells = rows.map((row) => columns.map((c) => cell(c, (row as Record<string, unknown>)[c])));
    const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
    this.io.print(columns.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
    for (const r of cells) this.io.print(r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd());
  }

  log(row: LogRow) {
    if (this.json) return this.io.print(JSON.stringify(row));
    const ids = [row.sessionId && `session=${row.sessionId}`, row.queueId && `queue=${row.queueId}`].filter(Boolean).join(' ');
    this.io.print(printable(`${new Date(row.ts).toISOString()} ${row.level.padEnd(5)} ${row.component} ${row.event}${ids ? ' ' + ids : ''} ${JSON.stringify(row.fields)}`));
  }
}

/**
 * `text` with every control character (C0, DEL, C1: all below U+00A0) written as a `\xHH` escape, so stored
 * text cannot move the cursor, clear the screen or forge lines; `keepNewlines` leaves LF for the
 * multi-line messages commands print themselves.
 */
export function printable(text: string, keepNewlines = false): string {
  return text.replace(/\p{Cc}/gu, (ch) => {
    if (keepNewlines && ch === '\n') return ch;
    return `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

function cell(column: string, value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number' && /bytes|quota/i.test(column)) return value === 0 && column !== 'usedBytes' ? 'unlimited' : formatSize(value);
  if (typeof value === 'number' && /At$/.test(column)) return new Date(value).toISOString();
  return printable(String(value));
}
