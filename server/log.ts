// Structured logging (STYLE "Logging"): a child logger per component/connection carries its ids; rows
// go to the log table in batches (one transaction per batch, not one fsync per line) and to the bus
// for live tails. Log rows are diagnostics, not accepted mail: a crash may lose the last batch.
// Secrets never reach a row: fields named like passwords or SASL payloads are redacted here, once.
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
import type { LogLevel, LogRecord, LogRow } from './store/log.js';

export interface LogContext {
  component: string;
  sessionId?: string | null;
  queueId?: string | null;
  messageId?: string | null;
  /** Fields added to every row (cid, proto, remote, user). */
  fields?: Record<string, unknown>;
}

export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  child(context: Partial<LogContext>): Logger;
}

export interface LogSink {
  root: Logger;
  /** Writes pending rows now (shutdown, tests); resolves when they and every earlier batch are written. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const SECRET = /pass(word)?|secret|token|sasl|credential|authorization/i;
const FLUSH_ROWS = 200;
const FLUSH_MS = 250;

export function createLogSink(deps: { repo: { insertMany(records: LogRecord[]): Promise<LogRow[]> }; clock: Clock; bus?: EventBus; echo?: (line: string) => void; minLevel?: LogLevel }): LogSink {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error'];
  const min = order.indexOf(deps.minLevel ?? 'info');
  let pending: LogRecord[] = [];
  let timer: NodeJS.Timeout | null = null;
  // Batches are written one after another, in order; a failed write is reported, never thrown at
  // whoever happened to log the line that filled the batch.
  let written: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.length === 0) return written;
    const batch = pending;
    pending = [];
    written = written.then(async () => {
      try {
        const rows = await deps.repo.insertMany(batch);
        if (deps.bus) for (const row of rows) deps.bus.emit('log', row);
      } catch (error) {
        process.emitWarning(`log rows could not be written: ${(error as Error).message}`);
      }
    });
    return written;
  };

  const make = (ctx: LogContext): Logger => {
    const write = (level: LogLevel, event: string, fields: Record<string, unknown> = {}) => {
      if (order.indexOf(level) < min) return;
      const record: LogRecord = {
        ts: deps.clock.now(),
        level,
        component: ctx.component,
        sessionId: ctx.sessionId ?? null,
        queueId: (fields.queueId as string | undefined) ?? ctx.queueId ?? null,
        messageId: (fields.messageId as string | undefined) ?? ctx.messageId ?? null,
        event,
        fields: redact({ ...ctx.fields, ...fields }),
      };
      pending.push(record);
      deps.echo?.(`${new Date(record.ts).toISOString()} ${level} ${ctx.component} ${event} ${JSON.stringify(record.fields)}`);
      if (pending.length >= FLUSH_ROWS) void flush();
      else timer ??= setTimeout(() => void flush(), FLUSH_MS);
    };
    return {
      debug: (e, f) => write('debug', e, f),
      info: (e, f) => write('info', e, f),
      warn: (e, f) => write('warn', e, f),
      error: (e, f) => write('error', e, f),
      child: (more) => make({ ...ctx, ...more, fields: { ...ctx.fields, ...more.fields } }),
    };
  };

  return {
    root: make({ component: 'server' }),
    flush,
    close: flush,
  };
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (SECRET.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { message: value.message, stack: value.stack };
    else out[key] = value;
  }
  return out;
}
