// Mail accounts (virtual users). An account belongs to a domain; its address is local_part@domain,
// matched case-insensitively. used_bytes is maintained by messages.ts in the same transaction as
// every append and expunge, so quota checks never scan the mailbox.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import { ConflictError, NotFoundError, isUniqueViolation } from './errors.js';
import { createPager, type PageFilter, type PageRequest, type PageRows, type PagerSpec } from './paging.js';
import type { AccountSort } from './list-sorts.js';

export interface Account {
  id: number;
  domainId: number;
  domain: string;
  localPart: string;
  address: string;
  displayName: string;
  quotaBytes: number;
  usedBytes: number;
  active: boolean;
  domainActive: boolean;
  createdAt: number;
  lastLoginAt: number | null;
}

export interface AccountSecrets {
  id: number;
  address: string;
  passwordHash: string;
  scramSecret: string | null;
  active: boolean;
}

export interface AccountRow {
  id: number;
  domain_id: number;
  domain: string;
  domain_active: number;
  local_part: string;
  display_name: string;
  password_hash: string;
  scram_sha256: string | null;
  quota_bytes: number;
  used_bytes: number;
  active: number;
  created_at: number;
  last_login_at: number | null;
}

export const toAccount = (r: AccountRow): Account => ({
  id: r.id,
  domainId: r.domain_id,
  domain: r.domain,
  localPart: r.local_part,
  address: `${r.local_part}@${r.domain}`,
  displayName: r.display_name,
  quotaBytes: r.quota_bytes,
  usedBytes: r.used_bytes,
  active: r.active === 1,
  domainActive: r.domain_active === 1,
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
});

export const toSecrets = (r: AccountRow): AccountSecrets => ({
  id: r.id,
  address: `${r.local_part}@${r.domain}`,
  passwordHash: r.password_hash,
  scramSecret: r.scram_sha256,
  active: r.active === 1 && r.domain_active === 1,
});

export interface NewAccount {
  domainId: number;
  localPart: string;
  displayName: string;
  passwordHash: string;
  scramSecret: string | null;
  quotaBytes: number;
}

export interface AccountChanges {
  displayName?: string;
  quotaBytes?: number;
  active?: boolean;
  passwordHash?: string;
  scramSecret?: string | null;
}

export interface AccountRepo {
  add(account: NewAccount): Account;
  get(id: number): Account | undefined;
  find(localPart: string, domain: string): Account | undefined;
  require(localPart: string, domain: string): Account;
  list(domain?: string): Account[];
  /** One page of the accounts (of one domain), sorted and searched by address and name. */
  page(request: PageRequest<AccountSort>, domain?: string): PageRows<Account>;
  countInDomain(domainId: number): number;
  secrets(localPart: string, domain: string): AccountSecrets | undefined;
  update(id: number, changes: AccountChanges): Account;
  recordLogin(id: number, at: number): void;
  addUsage(id: number, deltaBytes: number): void;
  /** Deletes the account row; the caller has removed its mailboxes' messages in the same transaction. */
  deleteRow(id: number): void;
}

export const SELECT = `SELECT a.*, d.name AS domain, d.active AS domain_active FROM accounts a JOIN domains d ON d.id = a.domain_id`;

const ADDRESS = "a.local_part || '@' || d.name";
/** The users list's paging, in SQL both stores speak. */
export const ACCOUNT_PAGES: PagerSpec<AccountSort> = {
  select: SELECT,
  from: 'FROM accounts a JOIN domains d ON d.id = a.domain_id',
  searchIn: [ADDRESS, 'a.display_name'],
  sorts: { address: `lower(${ADDRESS})`, name: 'lower(a.display_name)', used: 'a.used_bytes', quota: 'a.quota_bytes', lastLogin: 'coalesce(a.last_login_at, 0)', created: 'a.created_at' },
  tiebreak: 'a.id',
};

/** Narrows a page of accounts or aliases (joined with `domains d`) to one domain. */
export const domainFilter = (domain: string | undefined): PageFilter[] => (domain === undefined ? [] : [{ sql: 'd.name = ?', params: [domain] }]);

export function createAccountRepo(db: Db, clock: Clock): AccountRepo {
  const insert = db.prepare<[number, string, string, string, string | null, number, number]>(
    `INSERT INTO accounts (domain_id, local_part, display_name, password_hash, scram_sha256, quota_bytes, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[number], AccountRow>(`${SELECT} WHERE a.id = ?`);
  const byAddress = db.prepare<[string, string], AccountRow>(`${SELECT} WHERE d.name = ? AND a.local_part = ? COLLATE NOCASE`);
  const all = db.prepare<[], AccountRow>(`${SELECT} ORDER BY d.name, a.local_part COLLATE NOCASE`);
  const inDomain = db.prepare<[string], AccountRow>(`${SELECT} WHERE d.name = ? ORDER BY a.local_part COLLATE NOCASE`);
  const count = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM accounts WHERE domain_id = ?');
  const pager = createPager<AccountRow, AccountSort>(db, ACCOUNT_PAGES);
  const setField = {
    displayName: db.prepare<[string, number]>('UPDATE accounts SET display_name = ? WHERE id = ?'),
    quotaBytes: db.prepare<[number, number]>('UPDATE accounts SET quota_bytes = ? WHERE id = ?'),
    active: db.prepare<[number, number]>('UPDATE accounts SET active = ? WHERE id = ?'),
    passwordHash: db.prepare<[string, number]>('UPDATE accounts SET password_hash = ? WHERE id = ?'),
    scramSecret: db.prepare<[string | null, number]>('UPDATE accounts SET scram_sha256 = ? WHERE id = ?'),
  };
  const login = db.prepare<[number, number]>('UPDATE accounts SET last_login_at = ? WHERE id = ?');
  const usage = db.prepare<[number, number]>('UPDATE accounts SET used_bytes = max(0, used_bytes + ?) WHERE id = ?');
  const remove = db.prepare<[number]>('DELETE FROM accounts WHERE id = ?');

  const repo: AccountRepo = {
    add(a) {
      try {
        const id = Number(insert.run(a.domainId, a.localPart, a.displayName, a.passwordHash, a.scramSecret, a.quotaBytes, clock.now()).lastInsertRowid);
        return repo.get(id)!;
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`The account ${a.localPart} already exists in this domain.`);
        throw error;
      }
    },
    get(id) {
      const row = byId.get(id);
      return row && toAccount(row);
    },
    find(localPart, domain) {
      const row = byAddress.get(domain, localPart);
      return row && toAccount(row);
    },
    require(localPart, domain) {
      const account = repo.find(localPart, domain);
      if (!account) throw new NotFoundError(`There is no account ${localPart}@${domain}.`);
      return account;
    },
    list(domain) {
      return (domain === undefined ? all.all() : inDomain.all(domain)).map(toAccount);
    },
    page(request, domain) {
      const { rows, total } = pager(request, domainFilter(domain));
      return { rows: rows.map(toAccount), total };
    },
    countInDomain(domainId) {
      return count.get(domainId)!.n;
    },
    secrets(localPart, domain) {
      const r = byAddress.get(domain, localPart);
      return r && toSecrets(r);
    },
    update(id, changes) {
      db.transaction(() => {
        if (changes.displayName !== undefined) setField.displayName.run(changes.displayName, id);
        if (changes.quotaBytes !== undefined) setField.quotaBytes.run(changes.quotaBytes, id);
        if (changes.active !== undefined) setField.active.run(changes.active ? 1 : 0, id);
        if (changes.passwordHash !== undefined) setField.passwordHash.run(changes.passwordHash, id);
        if (changes.scramSecret !== undefined) setField.scramSecret.run(changes.scramSecret, id);
      })();
      const account = repo.get(id);
      if (!account) throw new NotFoundError(`Account ${id} no longer exists.`);
      return account;
    },
    recordLogin(id, at) {
      login.run(at, id);
    },
    addUsage(id, delta) {
      usage.run(delta, id);
    },
    deleteRow(id) {
      remove.run(id);
    },
  };
  return repo;
}
