// Hosted domains. Names are lower-case A-labels (normalised by the caller, see mime/addr-spec.ts).
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import { ConflictError, NotFoundError, isUniqueViolation } from './errors.js';

export interface Domain {
  id: number;
  name: string;
  active: boolean;
  defaultQuota: number;
  createdAt: number;
}

export interface DomainSummary extends Domain {
  accounts: number;
  aliases: number;
  usedBytes: number;
}

interface DomainRow {
  id: number;
  name: string;
  active: number;
  default_quota: number;
  created_at: number;
}

const toDomain = (r: DomainRow): Domain => ({
  id: r.id,
  name: r.name,
  active: r.active === 1,
  defaultQuota: r.default_quota,
  createdAt: r.created_at,
});

export interface DomainRepo {
  add(name: string, defaultQuota: number): Domain;
  get(name: string): Domain | undefined;
  require(name: string): Domain;
  list(): DomainSummary[];
  update(name: string, changes: { active?: boolean; defaultQuota?: number }): Domain;
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
      const domain = repo.require(name);
      db.transaction(() => {
        if (changes.active !== undefined) setActive.run(changes.active ? 1 : 0, domain.id);
        if (changes.defaultQuota !== undefined) setQuota.run(changes.defaultQuota, domain.id);
      })();
      return repo.require(name);
    },
    deleteRow(id) {
      remove.run(id);
    },
  };
  return repo;
}
