// Sieve scripts and what runs around them (issue 15): an account's personal scripts (ManageSieve's
// view: by name, at most one active), the part Mailroom manages for the account (out-of-office and
// forwarding settings with the script generated from them), the admin's global scripts (one may run
// before and one after every user's script; `include :global` reaches any of them by name) and the
// vacation reply log.
//
// Invariants: at most one active script per account and one global script per phase (unique
// indexes); `put` checks the per-account script count inside its transaction, so two concurrent
// uploads cannot both pass it; the delivery read (`forDelivery`) is one transaction, so a run never
// mixes a before script from one moment with a user script from another. Script text is validated by
// the caller (server/sieve); the store keeps what it is given.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';

export type GlobalPhase = 'before' | 'after';

export interface SieveScriptSummary {
  name: string;
  active: boolean;
  /** Bytes of UTF-8. */
  size: number;
}

export interface NamedScript {
  name: string;
  content: string;
}

export interface GlobalScript extends NamedScript {
  phase: GlobalPhase | null;
  updatedAt: number;
}

export interface ManagedSieve {
  /** The GUI/CLI settings as JSON the caller owns (server/sieve/managed.ts). */
  settings: string;
  /** The script generated from them. */
  content: string;
  updatedAt: number;
}

/** The scripts a delivery to one account runs, in order (absent ones are null). */
export interface DeliveryScripts {
  before: NamedScript | null;
  managed: NamedScript | null;
  active: NamedScript | null;
  after: NamedScript | null;
}

export interface SieveRepo {
  list(accountId: number): SieveScriptSummary[];
  get(accountId: number, name: string): string | null;
  /** Creates or replaces a script (an active one stays active); 'too-many' when creating would pass `maxScripts`. */
  put(accountId: number, name: string, content: string, maxScripts: number): 'ok' | 'too-many';
  remove(accountId: number, name: string): 'ok' | 'missing' | 'active';
  rename(accountId: number, from: string, to: string): 'ok' | 'missing' | 'exists';
  /** null deactivates every script of the account. */
  setActive(accountId: number, name: string | null): 'ok' | 'missing';
  managed(accountId: number): ManagedSieve | null;
  /** null removes the managed part. */
  setManaged(accountId: number, managed: { settings: string; content: string } | null): void;
  globals(): GlobalScript[];
  getGlobal(name: string): string | null;
  /** Creates or replaces a global script; giving it a phase takes that phase from any other. */
  putGlobal(name: string, content: string, phase: GlobalPhase | null): void;
  removeGlobal(name: string): boolean;
  forDelivery(accountId: number): DeliveryScripts;
  /** A number that moves whenever any script, managed part or global script changes (migration 0015). */
  generation(): number;
  /** Whether a vacation reply with `handle` went from the account to `sender` at or after `since`. */
  repliedSince(accountId: number, sender: string, handle: string, since: number): boolean;
  recordReply(accountId: number, sender: string, handle: string, at: number): void;
  /** Drops log rows older than `before` (no period is longer than the engine's maximum). */
  pruneReplies(before: number): number;
}

interface ScriptRow {
  name: string;
  content: string;
  active: number;
}

interface GlobalRow {
  name: string;
  content: string;
  phase: GlobalPhase | null;
  updated_at: number;
}

export function createSieveRepo(db: Db, clock: Clock): SieveRepo {
  const list = db.prepare<[number], ScriptRow>('SELECT name, content, active FROM sieve_scripts WHERE account_id = ? ORDER BY name');
  const get = db.prepare<[number, string], string>('SELECT content FROM sieve_scripts WHERE account_id = ? AND name = ?').pluck();
  const count = db.prepare<[number], number>('SELECT count(*) FROM sieve_scripts WHERE account_id = ?').pluck();
  const upsert = db.prepare<[number, string, string, number]>(
    'INSERT INTO sieve_scripts (account_id, name, content, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, name) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at',
  );
  const isActive = db.prepare<[number, string], number>('SELECT active FROM sieve_scripts WHERE account_id = ? AND name = ?').pluck();
  const remove = db.prepare<[number, string]>('DELETE FROM sieve_scripts WHERE account_id = ? AND name = ?');
  const rename = db.prepare<[string, number, number, string]>('UPDATE sieve_scripts SET name = ?, updated_at = ? WHERE account_id = ? AND name = ?');
  const deactivate = db.prepare<[number]>('UPDATE sieve_scripts SET active = 0 WHERE account_id = ? AND active = 1');
  const activate = db.prepare<[number, string]>('UPDATE sieve_scripts SET active = 1 WHERE account_id = ? AND name = ?');
  const active = db.prepare<[number], NamedScript>('SELECT name, content FROM sieve_scripts WHERE account_id = ? AND active = 1');
  const managed = db.prepare<[number], { settings: string; content: string; updated_at: number }>('SELECT settings, content, updated_at FROM sieve_managed WHERE account_id = ?');
  const putManaged = db.prepare<[number, string, string, number]>(
    'INSERT INTO sieve_managed (account_id, settings, content, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET settings = excluded.settings, content = excluded.content, updated_at = excluded.updated_at',
  );
  const removeManaged = db.prepare<[number]>('DELETE FROM sieve_managed WHERE account_id = ?');
  const globals = db.prepare<[], GlobalRow>('SELECT name, content, phase, updated_at FROM sieve_global_scripts ORDER BY name');
  const getGlobal = db.prepare<[string], string>('SELECT content FROM sieve_global_scripts WHERE name = ?').pluck();
  const clearPhase = db.prepare<[GlobalPhase, string]>('UPDATE sieve_global_scripts SET phase = NULL WHERE phase = ? AND name <> ?');
  const upsertGlobal = db.prepare<[string, string, GlobalPhase | null, number]>(
    'INSERT INTO sieve_global_scripts (name, content, phase, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET content = excluded.content, phase = excluded.phase, updated_at = excluded.updated_at',
  );
  const removeGlobal = db.prepare<[string]>('DELETE FROM sieve_global_scripts WHERE name = ?');
  const phase = db.prepare<[GlobalPhase], NamedScript>('SELECT name, content FROM sieve_global_scripts WHERE phase = ?');
  const replied = db.prepare<[number, string, string, number], number>(
    'SELECT count(*) FROM sieve_vacation_log WHERE account_id = ? AND sender = ? AND handle = ? AND sent_at >= ?',
  ).pluck();
  const record = db.prepare<[number, string, string, number]>(
    'INSERT INTO sieve_vacation_log (account_id, sender, handle, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET sent_at = excluded.sent_at',
  );
  const prune = db.prepare<[number]>('DELETE FROM sieve_vacation_log WHERE sent_at < ?');
  const generation = db.prepare<[], number>('SELECT n FROM sieve_generation').pluck();

  const putScript = db.transaction((accountId: number, name: string, content: string, maxScripts: number): 'ok' | 'too-many' => {
    if (get.get(accountId, name) === undefined && count.get(accountId)! >= maxScripts) return 'too-many';
    upsert.run(accountId, name, content, clock.now());
    return 'ok';
  });
  const removeScript = db.transaction((accountId: number, name: string): 'ok' | 'missing' | 'active' => {
    const flag = isActive.get(accountId, name);
    if (flag === undefined) return 'missing';
    if (flag === 1) return 'active';
    remove.run(accountId, name);
    return 'ok';
  });
  const renameScript = db.transaction((accountId: number, from: string, to: string): 'ok' | 'missing' | 'exists' => {
    if (get.get(accountId, from) === undefined) return 'missing';
    if (from === to) return 'ok';
    if (get.get(accountId, to) !== undefined) return 'exists';
    rename.run(to, clock.now(), accountId, from);
    return 'ok';
  });
  const setActive = db.transaction((accountId: number, name: string | null): 'ok' | 'missing' => {
    if (name !== null && get.get(accountId, name) === undefined) return 'missing';
    deactivate.run(accountId);
    if (name !== null) activate.run(accountId, name);
    return 'ok';
  });
  const putGlobal = db.transaction((name: string, content: string, to: GlobalPhase | null) => {
    if (to !== null) clearPhase.run(to, name);
    upsertGlobal.run(name, content, to, clock.now());
  });
  const forDelivery = db.transaction((accountId: number): DeliveryScripts => {
    const own = managed.get(accountId);
    return {
      before: phase.get('before') ?? null,
      managed: own === undefined ? null : { name: 'managed', content: own.content },
      active: active.get(accountId) ?? null,
      after: phase.get('after') ?? null,
    };
  });

  return {
    list: (accountId) => list.all(accountId).map((r) => ({ name: r.name, active: r.active === 1, size: Buffer.byteLength(r.content, 'utf8') })),
    get: (accountId, name) => get.get(accountId, name) ?? null,
    put: (accountId, name, content, maxScripts) => putScript(accountId, name, content, maxScripts),
    remove: (accountId, name) => removeScript(accountId, name),
    rename: (accountId, from, to) => renameScript(accountId, from, to),
    setActive: (accountId, name) => setActive(accountId, name),
    managed(accountId) {
      const row = managed.get(accountId);
      return row === undefined ? null : { settings: row.settings, content: row.content, updatedAt: row.updated_at };
    },
    setManaged(accountId, value) {
      if (value === null) removeManaged.run(accountId);
      else putManaged.run(accountId, value.settings, value.content, clock.now());
    },
    globals: () => globals.all().map((r) => ({ name: r.name, content: r.content, phase: r.phase, updatedAt: r.updated_at })),
    getGlobal: (name) => getGlobal.get(name) ?? null,
    putGlobal: (name, content, to) => putGlobal(name, content, to),
    removeGlobal: (name) => removeGlobal.run(name).changes > 0,
    forDelivery: (accountId) => forDelivery(accountId),
    generation: () => generation.get()!,
    repliedSince: (accountId, sender, handle, since) => replied.get(accountId, sender, handle, since)! > 0,
    recordReply: (accountId, sender, handle, at) => void record.run(accountId, sender, handle, at),
    pruneReplies: (before) => prune.run(before).changes,
  };
}
