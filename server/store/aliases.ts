// Aliases: an address (or `*` for a domain's catch-all) that expands to one or more destinations —
// local accounts, other aliases or external addresses, kept in order. Validation (loops, unknown
// local targets) is the admin service's job; this module only stores.
import type { Clock } from '../clock.js';
import type { Db } from './db.js';
import { ConflictError, isUniqueViolation } from './errors.js';
import { createPager, type PageRequest, type PageRows, type PagerSpec } from './paging.js';
import { domainFilter } from './accounts.js';
import type { AliasSort } from './list-sorts.js';

export const CATCH_ALL = '*';

export interface Alias {
  id: number;
  domainId: number;
  domain: string;
  localPart: string;
  address: string;
  active: boolean;
  destinations: string[];
  createdAt: number;
}

export interface AliasRow {
  id: number;
  domain_id: number;
  domain: string;
  local_part: string;
  active: number;
  created_at: number;
  destinations: string;
}

export const toAlias = (r: AliasRow): Alias => ({
  id: r.id,
  domainId: r.domain_id,
  domain: r.domain,
  localPart: r.local_part,
  address: `${r.local_part}@${r.domain}`,
  active: r.active === 1,
  destinations: JSON.parse(r.destinations) as string[],
  createdAt: r.created_at,
});

export interface AliasRepo {
  add(domainId: number, localPart: string, destinations: string[]): Alias;
  find(localPart: string, domain: string): Alias | undefined;
  list(domain?: string): Alias[];
  /** One page of the aliases (of one domain), searched by address and destinations. */
  page(request: PageRequest<AliasSort>, domain?: string): PageRows<Alias>;
  setDestinations(id: number, destinations: string[]): void;
  setActive(id: number, active: boolean): void;
  deleteRow(id: number): void;
  deleteInDomain(domainId: number): void;
  /** Aliases (anywhere) that name `address` as a destination, case-insensitively. */
  referencing(address: string): Alias[];
}

const SELECT = `
  SELECT x.*, d.name AS domain,
    (SELECT json_group_array(address) FROM (SELECT address FROM alias_destinations WHERE alias_id = x.id ORDER BY position)) AS destinations
  FROM aliases x JOIN domains d ON d.id = x.domain_id`;

/** The aliases list's paging over `select`; `destinations` is the store's SQL for them as one text. */
export function aliasPages(select: string, destinations: string): PagerSpec<AliasSort> {
  const address = "x.local_part || '@' || d.name";
  return {
    select,
    from: 'FROM aliases x JOIN domains d ON d.id = x.domain_id',
    searchIn: [address, destinations],
    sorts: { address: `lower(${address})`, destinations: `lower(${destinations})`, created: 'x.created_at' },
    tiebreak: 'x.id',
  };
}

export function createAliasRepo(db: Db, clock: Clock): AliasRepo {
  const insert = db.prepare<[number, string, number]>('INSERT INTO aliases (domain_id, local_part, created_at) VALUES (?, ?, ?)');
  const insertDest = db.prepare<[number, number, string]>('INSERT INTO alias_destinations (alias_id, position, address) VALUES (?, ?, ?)');
  const clearDest = db.prepare<[number]>('DELETE FROM alias_destinations WHERE alias_id = ?');
  const byId = db.prepare<[number], AliasRow>(`${SELECT} WHERE x.id = ?`);
  const byAddress = db.prepare<[string, string], AliasRow>(`${SELECT} WHERE d.name = ? AND x.local_part = ? COLLATE NOCASE`);
  const all = db.prepare<[], AliasRow>(`${SELECT} ORDER BY d.name, x.local_part COLLATE NOCASE`);
  const inDomain = db.prepare<[string], AliasRow>(`${SELECT} WHERE d.name = ? ORDER BY x.local_part COLLATE NOCASE`);
  // The count has no SELECT list to name, so the search spells the destinations out.
  const pager = createPager<AliasRow, AliasSort>(db, aliasPages(SELECT, "(SELECT group_concat(address, ' ') FROM alias_destinations WHERE alias_id = x.id)"));
  const setActive = db.prepare<[number, number]>('UPDATE aliases SET active = ? WHERE id = ?');
  const remove = db.prepare<[number]>('DELETE FROM aliases WHERE id = ?');
  const removeInDomain = db.prepare<[number]>('DELETE FROM aliases WHERE domain_id = ?');
  const referencing = db.prepare<[string], AliasRow>(
    `${SELECT} WHERE x.id IN (SELECT alias_id FROM alias_destinations WHERE lower(address) = lower(?))`,
  );

  const writeDestinations = (id: number, destinations: string[]) => {
    clearDest.run(id);
    destinations.forEach((address, position) => insertDest.run(id, position, address));
  };

  return {
    add(domainId, localPart, destinations) {
      return db.transaction(() => {
        let id: number;
        try {
          id = Number(insert.run(domainId, localPart, clock.now()).lastInsertRowid);
        } catch (error) {
          if (isUniqueViolation(error)) throw new ConflictError(`The alias ${localPart} already exists in this domain.`);
          throw error;
        }
        writeDestinations(id, destinations);
        return toAlias(byId.get(id)!);
      })();
    },
    find(localPart, domain) {
      const row = byAddress.get(domain, localPart);
      return row && toAlias(row);
    },
    list(domain) {
      return (domain === undefined ? all.all() : inDomain.all(domain)).map(toAlias);
    },
    page(request, domain) {
      const { rows, total } = pager(request, domainFilter(domain));
      return { rows: rows.map(toAlias), total };
    },
    setDestinations(id, destinations) {
      db.transaction(() => writeDestinations(id, destinations))();
    },
    setActive(id, active) {
      setActive.run(active ? 1 : 0, id);
    },
    deleteRow(id) {
      remove.run(id);
    },
    deleteInDomain(domainId) {
      removeInDomain.run(domainId);
    },
    referencing(address) {
      return referencing.all(address).map(toAlias);
    },
  };
}
