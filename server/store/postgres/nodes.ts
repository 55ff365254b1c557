// Which nodes are alive (issue 19): each node keeps a row in `nodes` and refreshes its seen_at every
// HEARTBEAT_MS, on the database's clock, so nodes whose own clocks disagree still agree on who went
// silent. A node silent for SILENT_MS is taken for dead: its queue claims return at once (queue.ts)
// instead of when their lease lapses. A node that stops deletes its row; rows silent for a day go.
import { hostname } from 'node:os';
import type { NodeInfo } from '../index.js';
import type { Database, Sql } from './sql.js';

export const HEARTBEAT_MS = 5_000;
/** Six missed heartbeats: long enough that a busy node is not taken for dead. */
export const SILENT_MS = 30_000;
const FORGET_MS = 24 * 3600_000;

/** Now in ms on the database server's clock. */
export const DB_NOW = '(extract(epoch from clock_timestamp()) * 1000)::bigint';

/** SQL true when `claimedBy` (a column) names a node that has been heard from lately. */
export const liveNode = (claimedBy: string) => `EXISTS (SELECT 1 FROM nodes n WHERE n.id = ${claimedBy} AND n.seen_at > ${DB_NOW} - ${SILENT_MS})`;

export interface Heartbeat {
  /** Stops the heartbeat and deletes the node's row (its claims return to the others at once). */
  stop(): Promise<void>;
}

const beat = (sql: Sql, node: string) =>
  sql.run(
    `INSERT INTO nodes (id, host, pid, started_at, seen_at) VALUES (?, ?, ?, ${DB_NOW}, ${DB_NOW})
     ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at`,
    [node, hostname(), process.pid],
  );

/** Registers `node` and keeps its row fresh until stop(). */
export async function startHeartbeat(db: Database, node: string): Promise<Heartbeat> {
  await db.transaction((sql) => beat(sql, node));
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = db
      .transaction(async (sql) => {
        await beat(sql, node);
        await sql.run(`DELETE FROM nodes WHERE seen_at < ${DB_NOW} - ${FORGET_MS}`);
      })
      // The database is away: the next beat tries again (the others may meanwhile take us for dead).
      .catch(() => undefined);
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await db.transaction((sql) => sql.run('DELETE FROM nodes WHERE id = ?', [node])).catch(() => undefined);
    },
  };
}

export async function listNodes(sql: Sql, self: string): Promise<NodeInfo[]> {
  const rows = await sql.all<{ id: string; host: string; pid: number; started_at: number; seen_at: number; now: number }>(
    `SELECT id, host, pid, started_at, seen_at, ${DB_NOW} AS now FROM nodes ORDER BY started_at, id`,
  );
  return rows.map((r) => ({ id: r.id, host: r.host, pid: r.pid, startedAt: r.started_at, seenAt: r.seen_at, alive: r.seen_at > r.now - SILENT_MS, self: r.id === self }));
}
