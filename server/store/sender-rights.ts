// Sender rights (issue 11 §3): which addresses an account may send as beyond the ones it owns, and
// which accounts are master users (may authenticate on behalf of another account). Addresses are
// kept as `local@domain` with the domain normalised by the caller, or `*@domain` for a whole domain,
// and compared case-insensitively.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';

export interface SendAsGrant {
  accountId: number;
  address: string;
  createdAt: number;
}

export interface SenderRightsRepo {
  /** Grants, by account then address; all accounts' when `accountId` is undefined. */
  grants(accountId?: number): SendAsGrant[];
  /** Adds a grant (an existing one is kept as it was) and returns it. */
  grant(accountId: number, address: string): SendAsGrant;
  revoke(accountId: number, address: string): boolean;
  /** Whether a grant covers `local@domain`: the address itself or `*@domain`. */
  allows(accountId: number, local: string, domain: string): boolean;
  isMaster(accountId: number): boolean;
  setMaster(accountId: number, master: boolean): void;
  masters(): number[];
}

export interface GrantRow {
  account_id: number;
  address: string;
  created_at: number;
}

export const toGrant = (r: GrantRow): SendAsGrant => ({ accountId: r.account_id, address: r.address, createdAt: r.created_at });

export function createSenderRightsRepo(db: Db, clock: Clock): SenderRightsRepo {
  const insert = db.prepare<[number, string, number]>('INSERT INTO send_as (account_id, address, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const one = db.prepare<[number, string], GrantRow>('SELECT * FROM send_as WHERE account_id = ? AND address = ?');
  const all = db.prepare<[], GrantRow>('SELECT * FROM send_as ORDER BY account_id, address');
  const ofAccount = db.prepare<[number], GrantRow>('SELECT * FROM send_as WHERE account_id = ? ORDER BY address');
  const remove = db.prepare<[number, string]>('DELETE FROM send_as WHERE account_id = ? AND address = ?');
  const covers = db.prepare<[number, string, string], { n: number }>('SELECT count(*) AS n FROM send_as WHERE account_id = ? AND address IN (?, ?)');
  const master = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM master_users WHERE account_id = ?');
  const addMaster = db.prepare<[number, number]>('INSERT INTO master_users (account_id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const removeMaster = db.prepare<[number]>('DELETE FROM master_users WHERE account_id = ?');
  const masters = db.prepare<[], { account_id: number }>('SELECT account_id FROM master_users ORDER BY account_id');
  return {
    grants: (accountId) => (accountId === undefined ? all.all() : ofAccount.all(accountId)).map(toGrant),
    grant(accountId, address) {
      insert.run(accountId, address, clock.now());
      return toGrant(one.get(accountId, address)!);
    },
    revoke: (accountId, address) => remove.run(accountId, address).changes > 0,
    allows: (accountId, local, domain) => covers.get(accountId, `${local}@${domain}`, `*@${domain}`)!.n > 0,
    isMaster: (accountId) => master.get(accountId)!.n > 0,
    setMaster(accountId, on) {
      if (on) addMaster.run(accountId, clock.now());
      else removeMaster.run(accountId);
    },
    masters: () => masters.all().map((r) => r.account_id),
  };
}
