// Live events for the admin GUI over server-sent events (`GET /api/events`): every new log row
// (`event: log`, with the row id as the SSE id), listener state changes (`event: listener`),
// bounces (`event: bounce`), backup and import progress (`event: backup`, `event: import`). A reconnecting EventSource sends Last-Event-ID; the rows it missed are
// replayed from the log table first (at most REPLAY_LIMIT), so a short network blip loses nothing.
//
// Invariants: one bus subscription per open stream, removed when the stream closes; writing to a
// stream never logs (a log row per written row would feed itself); a slow reader is dropped rather
// than buffered without bound.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBus } from '../events.js';
import type { LogRow } from '../store/log.js';

export const HEARTBEAT_MS = 20_000;
export const REPLAY_LIMIT = 1000;
/** A stream whose socket buffer holds more than this is too slow and is closed. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface LiveEventsDeps {
  bus: EventBus;
  /** Rows after `afterId`, oldest first. */
  replay(afterId: number, limit: number): Promise<LogRow[]>;
  /** Called on every heartbeat: false ends the stream (the session expired). */
  stillAllowed(): boolean;
}

export async function streamEvents(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>, deps: LiveEventsDeps): Promise<void> {
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  let open = true;
  const send = (event: string, data: unknown, id?: number) => {
    if (!open) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) return close();
    res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const unsubscribe: Array<() => void> = [];
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    for (const off of unsubscribe) off();
    res.end();
  };

  res.write(`retry: 3000\n\n`);
  // Subscribe before replaying, holding new rows back until the replay is written, so none is lost
  // between the query and the subscription and none is sent twice.
  const fromHeader = Number(req.headers['last-event-id'] ?? NaN);
  let replaying = Number.isInteger(fromHeader) && fromHeader >= 0;
  let lastSent = replaying ? fromHeader : 0;
  const held: LogRow[] = [];
  unsubscribe.push(
    deps.bus.on('log', (row) => {
      if (replaying) held.push(row);
      else if (row.id > lastSent) send('log', row, row.id);
    }),
    deps.bus.on('listener', (event) => send('listener', event)),
    deps.bus.on('bounce', (event) => send('bounce', event)),
    deps.bus.on('backup', (event) => send('backup', event)),
    deps.bus.on('import', (event) => send('import', event)),
  );
  const heartbeat = setInterval(() => {
    if (!deps.stillAllowed()) return close();
    if (open) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  req.on('close', close);
  res.on('error', close);

  if (replaying) {
    try {
      for (const row of await deps.replay(lastSent, REPLAY_LIMIT)) {
        send('log', row, row.id);
        lastSent = row.id;
      }
    } finally {
      replaying = false;
      for (const row of held.splice(0)) if (row.id > lastSent) send('log', row, row.id);
    }
  }
  // Tells the page (and tests) that the subscription is live.
  send('hello', {});
}
