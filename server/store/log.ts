// The structured log table: one row per event (DESIGN §2), queried by the GUI and `mailroom log`.
// Rows are written in batches by server/log.ts; this module only stores and queries.
import type { Db } from './db.js';
import { activityKindOf, hourOf, type ActivityKind } from '../mail-activity.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  ts: number;
  level: LogLevel;
  component: string;
  sessionId: string | null;
  queueId: string | null;
  messageId: string | null;
  event: string;
  fields: Record<string, unknown>;
}

export interface LogRow extends LogRecord {
  id: number;
}

export interface LogQuery {
  /** Only rows with id greater than this (for following). */
  afterId?: number;
  /** Only rows with id less than this (the newest `limit` of them: "load older"). */
  beforeId?: number;
  since?: number;
  until?: number;
  level?: LogLevel;
  component?: string;
  event?: string;
  sessionId?: string;
  queueId?: string;
  messageId?: string;
  /** Substring match over the event name and fields. */
  text?: string;
  limit?: number;
}

export interface Row {
  id: number;
  ts: number;
  level: LogLevel;
  component: string;
  session_id: string | null;
  queue_id: string | null;
  message_id: string | null;
  event: string;
  fields: string;
}

export const toLogRow = (r: Row): LogRow => ({
  id: r.id,
  ts: r.ts,
  level: r.level,
  component: r.component,
  sessionId: r.session_id,
  queueId: r.queue_id,
  messageId: r.message_id,
  event: r.event,
  fields: JSON.parse(r.fields) as Record<string, unknown>,
});

export const LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const MAX_LOG_QUERY = 5000;

/** One hourly counter (server/mail-activity.ts): `hour` is the start of a UTC hour in epoch ms. */
export interface ActivityCounter {
  hour: number;
  kind: ActivityKind;
  count: number;
}

/** What `records` add to the hourly counters (shared by both backends). */
export function activityCounts(records: readonly LogRecord[]): ActivityCounter[] {
  const counts = new Map<string, ActivityCounter>();
  for (const r of records) {
    const kind = activityKindOf(r);
    if (!kind) continue;
    const hour = hourOf(r.ts);
    const key = `${hour} ${kind}`;
    const counter = counts.get(key) ?? { hour, kind, count: 0 };
    counter.count++;
    counts.set(key, counter);
  }
  return [...counts.values()];
}

/** Log records ready to be written: fields as JSON and the hourly counters they add, plain data a worker can be handed. */
export interface EncodedLogBatch {
  rows: Array<Omit<LogRecord, 'fields'> & { fields: string }>;
  counts: ActivityCounter[];
}

export function encodeLogBatch(records: readonly LogRecord[]): EncodedLogBatch {
  return { rows: records.map((r) => ({ ...r, fields: JSON.stringify(r.fields) })), counts: activityCounts(records) };
}

export interface LogRepo {
  /** Inserts in one transaction, with the hourly activity counters they add to; returns the rows with their ids. */
  insertMany(records: LogRecord[]): LogRow[];
  /** The hourly counters from `since` on, oldest first: the dashboard's chart in one query. */
  activity(since: number): ActivityCounter[];
  /** Newest last; when `afterId` is absent the newest `limit` rows. */
  query(q: LogQuery): LogRow[];
  pruneBefore(ts: number): number;
}

/** insertMany's write, in one transaction (the writer worker runs it too): the rows' ids, in order. */
export function createLogInsert(db: Db): (batch: EncodedLogBatch) => number[] {
  const insert = db.prepare(`INSERT INTO log (ts, level, component, session_id, queue_id, message_id, event, fields)
    VALUES (@ts, @level, @component, @sessionId, @queueId, @messageId, @event, @fields)`);
  const count = db.prepare<[number, string, number]>(
    'INSERT INTO stats_hourly (hour, kind, count) VALUES (?, ?, ?) ON CONFLICT (hour, kind) DO UPDATE SET count = count + excluded.count',
  );
  return db.transaction((batch: EncodedLogBatch): number[] => {
    for (const c of batch.counts) count.run(c.hour, c.kind, c.count);
    return batch.rows.map((r) => Number(insert.run(r).lastInsertRowid));
  });
}

export function createLogRepo(db: Db): LogRepo {
  const insertEncoded = createLogInsert(db);
  const activity = db.prepare<[number], ActivityCounter>('SELECT hour, kind, count FROM stats_hourly WHERE hour >= ? ORDER BY hour');
  const prune = db.prepare<[number]>('DELETE FROM log WHERE ts < ?');

  return {
    insertMany(records) {
      if (records.length === 0) return [];
      const ids = insertEncoded(encodeLogBatch(records));
      return records.map((r, i) => ({ ...r, id: ids[i] }));
    },
    activity(since) {
      return activity.all(hourOf(since));
    },
    query(q) {
      const where: string[] = [];
      const args: Record<string, unknown> = {};
      const eq = (column: string, key: keyof LogQuery) => {
        if (q[key] !== undefined) {
          where.push(`${column} = @${key}`);
          args[key] = q[key];
        }
      };
      const cmp = (op: string, column: string, key: 'afterId' | 'beforeId' | 'since' | 'until') => {
        if (q[key] === undefined) return;
        where.push(`${column} ${op} @${key}`);
        args[key] = q[key];
      };
      cmp('>', 'id', 'afterId');
      cmp('<', 'id', 'beforeId');
      cmp('>=', 'ts', 'since');
      cmp('<=', 'ts', 'until');
      if (q.level !== undefined) {
        const levels = LEVELS.slice(LEVELS.indexOf(q.level));
        where.push(`level IN (${levels.map((l) => `'${l}'`).join(', ')})`);
      }
      eq('component', 'component');
      eq('event', 'event');
      eq('session_id', 'sessionId');
      eq('queue_id', 'queueId');
      eq('message_id', 'messageId');
      if (q.text) {
        where.push("(instr(lower(event), lower(@text)) > 0 OR instr(lower(fields), lower(@text)) > 0)");
        args.text = q.text;
      }
      const limit = Math.min(Math.max(1, q.limit ?? 500), MAX_LOG_QUERY);
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      // Following reads forward from afterId; otherwise show the newest rows, still oldest first.
      const sql = q.afterId !== undefined
        ? `SELECT * FROM log ${filter} ORDER BY id LIMIT ${limit}`
        : `SELECT * FROM (SELECT * FROM log ${filter} ORDER BY id DESC LIMIT ${limit}) ORDER BY id`;
      return (db.prepare(sql).all(args) as Row[]).map(toLogRow);
    },
    pruneBefore(ts) {
      return prune.run(ts).changes;
    },
  };
}
