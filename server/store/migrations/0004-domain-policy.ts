// Per-domain DKIM keys and DMARC choices move from the global settings table (rows `dkim:<domain>`
// and `dmarc:<domain>`, keyed by name) into the domain: a `domain_dkim` row deleted with its domain
// (ON DELETE CASCADE) and a `dmarc_on_reject` column. Deleting a domain now removes them, and a
// domain added again under the same name starts without them. Existing values are carried over for
// domains that exist; rows that belong to no domain, or that never parsed (the old readers ignored
// those too), are dropped with the old keys.
import type { Db } from '../db-handle.js';
import type { Migration } from './migration.js';

const ALGORITHMS = ['rsa', 'ed25519'];
const ACTIONS = ['reject', 'tag'];

interface OldKey {
  selector?: unknown;
  algorithm?: unknown;
  privateKey?: unknown;
  publicKey?: unknown;
  createdAt?: unknown;
}

function parse(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

function up(db: Db): void {
  db.exec(`
CREATE TABLE domain_dkim (
  domain_id   INTEGER PRIMARY KEY REFERENCES domains(id) ON DELETE CASCADE,
  selector    TEXT NOT NULL,
  algorithm   TEXT NOT NULL CHECK (algorithm IN ('rsa', 'ed25519')),
  private_key TEXT NOT NULL,
  public_key  TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;
ALTER TABLE domains ADD COLUMN dmarc_on_reject TEXT CHECK (dmarc_on_reject IN ('reject', 'tag'));
`);
  const domainId = db.prepare<[string], number>('SELECT id FROM domains WHERE name = ?').pluck();
  const insertKey = db.prepare('INSERT INTO domain_dkim (domain_id, selector, algorithm, private_key, public_key, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const setDmarc = db.prepare<[string, number]>('UPDATE domains SET dmarc_on_reject = ? WHERE id = ?');
  const rows = db.prepare<[], { key: string; value: string }>("SELECT key, value FROM settings WHERE key LIKE 'dkim:%' OR key LIKE 'dmarc:%'").all();
  for (const { key, value } of rows) {
    const [kind, ...rest] = key.split(':');
    const id = domainId.get(rest.join(':'));
    if (id === undefined) continue;
    const parsed = parse(value);
    if (kind === 'dmarc') {
      if (typeof parsed === 'string' && ACTIONS.includes(parsed)) setDmarc.run(parsed, id);
      continue;
    }
    const k = (parsed ?? {}) as OldKey;
    const texts = [k.selector, k.privateKey, k.publicKey].every((x) => typeof x === 'string');
    if (texts && typeof k.algorithm === 'string' && ALGORITHMS.includes(k.algorithm) && typeof k.createdAt === 'number') {
      insertKey.run(id, k.selector, k.algorithm, k.privateKey, k.publicKey, k.createdAt);
    }
  }
  db.exec("DELETE FROM settings WHERE key LIKE 'dkim:%' OR key LIKE 'dmarc:%'");
}

export const m0004: Migration = { version: 4, name: 'domain-policy', up };
