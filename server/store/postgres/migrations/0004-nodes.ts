// Nodes and their heartbeats (postgres/nodes.ts): a row per running node, refreshed on the database's
// clock, and which node holds each queue claim, so a dead node's claims return without waiting out
// their lease.
import type { PostgresMigration } from './migration.js';

export const p0004: PostgresMigration = {
  version: 4,
  name: 'nodes',
  up: `
CREATE TABLE nodes (
  id         TEXT PRIMARY KEY,
  host       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  started_at BIGINT NOT NULL,
  seen_at    BIGINT NOT NULL
);
ALTER TABLE queue ADD COLUMN claimed_by TEXT;
`,
};
