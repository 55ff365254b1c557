// Hosted domains. Names are lower-case A-labels (normalised by the caller, see mime/addr-spec.ts).
// A domain owns its DKIM key (domain_dkim) and its DMARC choice (migrations/0004): both go with it.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import { ConflictError, NotFoundError, isUniqueViolation } from './errors.js';

/** What to do with mail for this domain that fails the sender's DMARC policy; null: the default. */
export type DmarcOnReject = 'reject' | 'tag';

export interface Domain {
  id: number;
  name: string;
  active: boolean;
  defaultQuota: number;
  dmarcOnReject: DmarcOnReject | null;
  createdAt: number;
}

/** A domain's DKIM signing key. */
export interface DkimKey {
  domain: string;
  selector: string;
  algorithm: 'rsa' | 'ed25519';
  privateKey: string;
  /** The record's p= value: base64 SPKI (RSA) or the raw 32-byte key (Ed25519). */
  publicKey: string;
  createdAt: number;
}

export interface DomainSummary extends Domain {
  accounts: number;
  aliases: number;
  usedBytes: number;
}

export interface DomainRow {
  id: number;
  name: string;
  active: number;
  default_quota: number;
  dmarc_on_reject: DmarcOnReject | null;
  created_at: number;
}

export const toDomain = (r: DomainRow): Domain => ({
  id: r.id,
  name: r.name,
  active: r.active === 1,
  defaultQuota: r.default_quota,
  dmarcOnReject: r.dmarc_on_reject,
  createdAt: r.created_at,
});

export interface DkimRow {
  domain: string;
  selector: string;
  algorithm: 'rsa' | 'ed25519';
  private_key: string;
  public_key: string;
  created_at: number;
}

export interface DomainRepo {
  add(name: string, defaultQuota: number): Domain;
  get(name: string): Domain | undefined;
  require(name: string): Domain;
  list(): DomainSummary[];
  update(name: string, changes: { active?: boolean; defaultQuota?: number; dmarcOnReject?: DmarcOnReject | null }): Domain;
  dkimKey(name: string): DkimKey | undefined;
  /** Sets (replaces) or, with null, removes the domain's key; NotFoundError when there is no such domain. */
  setDkimKey(name: string, key: Omit<DkimKey, 'domain'> | null): void;
  /** Deletes the domain row; the caller has removed its accounts and aliases in the same transaction. */
  deleteRow(id: number): void;
}

export function createDomainRepo(db: Db, clock: Clock): DomainRepo {
  const insert = db.prepare<[string, number, number], DomainRow>(
    'INSERT INTO domains (name, default_quota, created_at) VALUES (?, ?, ?) RETURNING *',
  );
  const byName = db.prepare<[string], DomainRow>('SELECT * FROM domains WHERE name = ?');
  const list = db.prepare<[], DomainRow & { accounts: number; aliases: number; used: number }>(`
    SELECT d.*,
      (SELECT count(*) FROM accounts a WHERE a.domain_id = d.id) AS accounts,
      (SELECT count(*) FROM aliases x WHERE x.domain_id = d.id) AS aliases,
      (SELECT coalesce(sum(used_bytes), 0) FROM accounts a WHERE a.domain_id = d.id) AS used
    FROM domains d ORDER BY d.name`);
  const setActive = db.prepare<[number, number]>('UPDATE domains SET active = ? WHERE id = ?');
  const setQuota = db.prepare<[number, number]>('UPDATE domains SET default_quota = ? WHERE id = ?');
  const setDmarc = db.prepare<[string | null, number]>('UPDATE domains SET dmarc_on_reject = ? WHERE id = ?');
  const dkimOf = db.prepare<[string], DkimRow>('SELECT d.name AS domain, k.* FROM domain_dkim k JOIN domains d ON d.id = k.domain_id WHERE d.name = ?');
  const putDkim = db.prepare(`INSERT INTO domain_dkim (domain_id, selector, algorithm, private_key, public_key, created_at)
    VALUES (@domainId, @selector, @algorithm, @privateKey, @publicKey, @createdAt)
    ON CONFLICT (domain_id) DO UPDATE SET selector = excluded.selector, algorithm = excluded.algorithm,
      private_key = excluded.private_key, public_key = excluded.public_key, created_at = excluded.created_at`);
  const dropDkim = db.prepare<[number]>('DELETE FROM domain_dkim WHERE domain_id = ?');
  const remove = db.prepare<[number]>('DELETE FROM domains WHERE id = ?');

  const repo: DomainRepo = {
    add(name, defaultQuota) {
      try {
        return toDomain(insert.get(name, defaultQuota, clock.now())!);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`The domain ${name} already exists.`);
        throw error;
      }
    },
    get(name) {
      const row = byName.get(name);
      return row && toDomain(row);
    },
    require(name) {
      const domain = repo.get(name);
      if (!domain) throw new NotFoundError(`There is no domain ${name}.`);
      return domain;
    },
    list() {
      return list.all().map((r) => ({ ...toDomain(r), accounts: r.accounts, aliases: r.aliases, usedBytes: r.used }));
    },
    update(name, changes) {
      return db.transaction(() => {
        const domain = repo.require(name);
        if (changes.active !== undefined) setActive.run(changes.active ? 1 : 0, domain.id);
        if (changes.defaultQuota !== undefined) setQuota.run(changes.defaultQuota, domain.id);
        if (changes.dmarcOnReject !== undefined) setDmarc.run(changes.dmarcOnReject, domain.id);
        return repo.require(name);
      })();
    },
    dkimKey(name) {
      const r = dkimOf.get(name);
      return r && { domain: r.domain, selector: r.selector, algorithm: r.algorithm, privateKey: r.private_key, publicKey: r.public_key, createdAt: r.created_at };
    },
    setDkimKey(name, key) {
      db.transaction(() => {
        const domain = repo.require(name);
        if (key === null) dropDkim.run(domain.id);
        else putDkim.run({ domainId: domain.id, selector: key.selector, algorithm: key.algorithm, privateKey: key.privateKey, publicKey: key.publicKey, createdAt: key.createdAt });
      })();
    },
    deleteRow(id) {
      remove.run(id);
    },
  };
  return repo;
}
