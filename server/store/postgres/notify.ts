// Changes between nodes (DESIGN §11): a transaction that returns changes also sends them with
// pg_notify on CHANNEL, so they are delivered exactly when it commits (and never when it rolls back);
// every node LISTENs on one connection of its own and hands the changes of the other nodes to its
// event bus, where IMAP IDLE and the GUI pick them up as if they had happened here. A notification
// carries at most MAX_UIDS UIDs and MAX_BYTES (PostgreSQL limits a payload to 8000 bytes): a bigger
// change, or a transaction's many changes, go in several notifications. The listening connection is
// re-opened after an error; changes sent meanwhile are missed by this node's sessions (as after a
// restart, a client catches up on its next command).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StoreChange } from '../changes.js';
import type { Sql } from './sql.js';

const CHANNEL = 'mailroom_changes';
const MAX_UIDS = 400;
/** What one notification carries at most (PostgreSQL's limit is 8000 bytes; the rest is the envelope). */
const MAX_BYTES = 7000;
const RECONNECT_MS = 1000;

interface Payload {
  node: string;
  changes: StoreChange[];
}

/** A change cut so that no notification carries more than MAX_UIDS UIDs. */
function slices(change: StoreChange): StoreChange[] {
  if (!('uids' in change) || change.uids.length <= MAX_UIDS) return [change];
  const out: StoreChange[] = [];
  for (let i = 0; i < change.uids.length; i += MAX_UIDS) out.push({ ...change, uids: change.uids.slice(i, i + MAX_UIDS) });
  return out;
}

/** This process's name on the channel. */
export const newNodeId = () => randomBytes(8).toString('hex');

/** Sends `changes` from `node` inside the caller's transaction (delivered at commit). */
export async function notifyChanges(sql: Sql, node: string, changes: readonly StoreChange[]): Promise<void> {
  let batch: StoreChange[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await sql.run('SELECT pg_notify(?, ?)', [CHANNEL, JSON.stringify({ node, changes: batch } satisfies Payload)]);
    batch = [];
    bytes = 0;
  };
  for (const change of changes.flatMap(slices)) {
    const size = Buffer.byteLength(JSON.stringify(change)) + 1;
    if (bytes + size > MAX_BYTES) await flush();
    batch.push(change);
    bytes += size;
  }
  await flush();
}

export interface ChangeWatch {
  close(): Promise<void>;
}

/** Listens for other nodes' changes; `listener` gets each notification's changes in commit order. */
export function watchChanges(url: string, node: string, listener: (changes: StoreChange[]) => void): ChangeWatch {
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    client = c;
    const retry = () => {
      c.removeAllListeners();
      c.end().catch(() => undefined);
      if (!closed && timer === null) timer = setTimeout(() => ((timer = null), void connect()), RECONNECT_MS);
    };
    c.on('error', retry);
    c.on('end', retry);
    c.on('notification', (message) => {
      if (message.channel !== CHANNEL || message.payload === undefined) return;
      const payload = JSON.parse(message.payload) as Payload;
      if (payload.node !== node) listener(payload.changes);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
    } catch {
      retry();
    }
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      const c = client;
      c?.removeAllListeners();
      await c?.end().catch(() => undefined);
    },
  };
}
