// The allow and block lists (issue 16): entries of the admin (global, per hosted domain, per user) and
// entries a user made through the IMAP Junk folder (per user, source `junk-folder`). A pattern is
// normalised by the caller: `local@domain` (an address), `@domain` (a sender domain), or a CIDR (the
// client network, IPv4 or IPv6). Matching by network is done by the caller; this repo finds the
// candidate entries for a sender and a set of recipients' scopes in one query.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';

export type SenderList = 'allow' | 'block';
export type SenderPatternKind = 'address' | 'domain' | 'network';

export interface SenderListEntry {
  id: number;
  list: SenderList;
  /** Null: not limited to one domain. */
  domainId: number | null;
  /** Null: not one user's entry. */
  accountId: number | null;
  kind: SenderPatternKind;
  pattern: string;
  source: 'admin' | 'junk-folder';
  createdAt: number;
}

export type NewSenderListEntry = Omit<SenderListEntry, 'id' | 'createdAt'>;

export interface SenderListRepo {
  /** Adds an entry (an identical one is kept as it was) and returns it. */
  add(entry: NewSenderListEntry): SenderListEntry;
  remove(id: number): boolean;
  /** Entries of one scope (global when both are null), or every entry when `scope` is undefined. */
  list(scope?: { domainId: number | null; accountId: number | null }): SenderListEntry[];
  find(list: SenderList, scope: { domainId: number | null; accountId: number | null }, pattern: string): SenderListEntry | undefined;
  /** Entries that could apply to mail from `sender` (address and domain patterns that name it, and
   *  every network pattern) for the global scope, the given domains and the given accounts. */
  candidates(senderAddress: string, senderDomain: string, domainIds: readonly number[], accountIds: readonly number[]): SenderListEntry[];
}

export interface Row {
  id: number;
  list: SenderList;
  domain_id: number | null;
  account_id: number | null;
  kind: SenderPatternKind;
  pattern: string;
  source: 'admin' | 'junk-folder';
  created_at: number;
}

export const toEntry = (r: Row): SenderListEntry => ({
  id: r.id,
  list: r.list,
  domainId: r.domain_id,
  accountId: r.account_id,
  kind: r.kind,
  pattern: r.pattern,
  source: r.source,
  createdAt: r.created_at,
});

export function createSenderListRepo(db: Db, clock: Clock): SenderListRepo {
  const insert = db.prepare<[string, number | null, number | null, string, string, string, number]>(
    'INSERT INTO sender_lists (list, domain_id, account_id, kind, pattern, source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const one = db.prepare<[string, number, number, string], Row>(
    'SELECT * FROM sender_lists WHERE list = ? AND coalesce(domain_id, 0) = ? AND coalesce(account_id, 0) = ? AND pattern = ?',
  );
  const all = db.prepare<[], Row>('SELECT * FROM sender_lists ORDER BY list, domain_id, account_id, pattern');
  const scoped = db.prepare<[number, number], Row>('SELECT * FROM sender_lists WHERE coalesce(domain_id, 0) = ? AND coalesce(account_id, 0) = ? ORDER BY list, pattern');
  const del = db.prepare<[number]>('DELETE FROM sender_lists WHERE id = ?');
  // The scope lists go in as JSON arrays so one prepared statement serves any number of them.
  const candidates = db.prepare<[string, string, string, string], Row>(
    `SELECT * FROM sender_lists
      WHERE (kind = 'network' OR (kind = 'address' AND pattern = ?) OR (kind = 'domain' AND pattern = ?))
        AND ((domain_id IS NULL AND account_id IS NULL)
             OR domain_id IN (SELECT value FROM json_each(?))
             OR account_id IN (SELECT value FROM json_each(?)))
      ORDER BY id`,
  );
  const find = (list: string, scope: { domainId: number | null; accountId: number | null }, pattern: string) =>
    one.get(list, scope.domainId ?? 0, scope.accountId ?? 0, pattern);
  return {
    add(e) {
      insert.run(e.list, e.domainId, e.accountId, e.kind, e.pattern, e.source, clock.now());
      return toEntry(find(e.list, e, e.pattern)!);
    },
    remove: (id) => del.run(id).changes > 0,
    list: (scope) => (scope === undefined ? all.all() : scoped.all(scope.domainId ?? 0, scope.accountId ?? 0)).map(toEntry),
    find(list, scope, pattern) {
      const row = find(list, scope, pattern);
      return row && toEntry(row);
    },
    candidates: (address, domain, domainIds, accountIds) =>
      candidates.all(address.toLowerCase(), `@${domain.toLowerCase()}`, JSON.stringify(domainIds), JSON.stringify(accountIds)).map(toEntry),
  };
}
