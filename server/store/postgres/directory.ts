// The directory on PostgreSQL: domains, accounts, aliases, transports, networks and rules, with the
// same contracts as the SQLite repositories (accounts.ts, domains.ts, ...) and their row mappers.
// Unique violations are found with ON CONFLICT DO NOTHING (an error would abort the transaction).
import type { Clock } from '../../clock.js';
import type { Async } from '../index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { ACCOUNT_PAGES, SELECT as ACCOUNT_SELECT, domainFilter, toAccount, toSecrets, type AccountRepo, type AccountRow } from '../accounts.js';
import { toDomain, type DkimRow, type DomainRepo, type DomainRow } from '../domains.js';
import { aliasPages, toAlias, type AliasRepo, type AliasRow } from '../aliases.js';
import { toTransport, type TransportRepo, type TransportRow } from '../transports.js';
import { bit, toNetwork, type NetworkPermissions, type NetworkRepo, type NetworkRow } from '../networks.js';
import { clamp, toRule, type RuleInput, type RuleRepo, type RuleRow, type RuleStage } from '../rules.js';
import type { Sql } from './sql.js';
import { pageOfRows } from './paging.js';

export function createDomainRepo(sql: Sql, clock: Clock): Async<DomainRepo> {
  const repo: Async<DomainRepo> = {
    async add(name, defaultQuota) {
      const row = await sql.one<DomainRow>('INSERT INTO domains (name, default_quota, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING *', [
        name,
        defaultQuota,
        clock.now(),
      ]);
      if (!row) throw new ConflictError(`The domain ${name} already exists.`);
      return toDomain(row);
    },
    async get(name) {
      const row = await sql.one<DomainRow>('SELECT * FROM domains WHERE name = ?', [name]);
      return row && toDomain(row);
    },
    async require(name) {
      const domain = await repo.get(name);
      if (!domain) throw new NotFoundError(`There is no domain ${name}.`);
      return domain;
    },
    async list() {
      const rows = await sql.all<DomainRow & { accounts: number; aliases: number; used: number }>(`
        SELECT d.*,
          (SELECT count(*) FROM accounts a WHERE a.domain_id = d.id) AS accounts,
          (SELECT count(*) FROM aliases x WHERE x.domain_id = d.id) AS aliases,
          (SELECT coalesce(sum(used_bytes), 0) FROM accounts a WHERE a.domain_id = d.id) AS used
        FROM domains d ORDER BY d.name COLLATE "C"`);
      return rows.map((r) => ({ ...toDomain(r), accounts: r.accounts, aliases: r.aliases, usedBytes: r.used }));
    },
    async update(name, changes) {
      const domain = await repo.require(name);
      if (changes.active !== undefined) await sql.run('UPDATE domains SET active = ? WHERE id = ?', [bit(changes.active), domain.id]);
      if (changes.defaultQuota !== undefined) await sql.run('UPDATE domains SET default_quota = ? WHERE id = ?', [changes.defaultQuota, domain.id]);
      if (changes.dmarcOnReject !== undefined) await sql.run('UPDATE domains SET dmarc_on_reject = ? WHERE id = ?', [changes.dmarcOnReject, domain.id]);
      return repo.require(name);
    },
    async dkimKey(name) {
      const r = await sql.one<DkimRow>('SELECT d.name AS domain, k.* FROM domain_dkim k JOIN domains d ON d.id = k.domain_id WHERE d.name = ?', [name]);
      return r && { domain: r.domain, selector: r.selector, algorithm: r.algorithm, privateKey: r.private_key, publicKey: r.public_key, createdAt: r.created_at };
    },
    async setDkimKey(name, key) {
      const domain = await repo.require(name);
      if (key === null) await sql.run('DELETE FROM domain_dkim WHERE domain_id = ?', [domain.id]);
      else {
        await sql.run(
          `INSERT INTO domain_dkim (domain_id, selector, algorithm, private_key, public_key, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (domain_id) DO UPDATE SET selector = excluded.selector, algorithm = excluded.algorithm,
             private_key = excluded.private_key, public_key = excluded.public_key, created_at = excluded.created_at`,
          [domain.id, key.selector, key.algorithm, key.privateKey, key.publicKey, key.createdAt],
        );
      }
    },
    async deleteRow(id) {
      await sql.run('DELETE FROM domains WHERE id = ?', [id]);
    },
  };
  return repo;
}

export function createAccountRepo(sql: Sql, clock: Clock): Async<AccountRepo> {
  const byAddress = (localPart: string, domain: string) => sql.one<AccountRow>(`${ACCOUNT_SELECT} WHERE d.name = ? AND a.local_part = ?`, [domain, localPart]);
  const repo: Async<AccountRepo> = {
    async add(a) {
      const id = await sql.value<number>(
        `INSERT INTO accounts (domain_id, local_part, display_name, password_hash, scram_sha256, quota_bytes, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
        [a.domainId, a.localPart, a.displayName, a.passwordHash, a.scramSecret, a.quotaBytes, clock.now()],
      );
      if (id === undefined) throw new ConflictError(`The account ${a.localPart} already exists in this domain.`);
      return (await repo.get(id))!;
    },
    async get(id) {
      const row = await sql.one<AccountRow>(`${ACCOUNT_SELECT} WHERE a.id = ?`, [id]);
      return row && toAccount(row);
    },
    async find(localPart, domain) {
      const row = await byAddress(localPart, domain);
      return row && toAccount(row);
    },
    async require(localPart, domain) {
      const account = await repo.find(localPart, domain);
      if (!account) throw new NotFoundError(`There is no account ${localPart}@${domain}.`);
      return account;
    },
    async list(domain) {
      const order = 'ORDER BY d.name COLLATE "C", lower(a.local_part) COLLATE "C"';
      const rows =
        domain === undefined
          ? await sql.all<AccountRow>(`${ACCOUNT_SELECT} ${order}`)
          : await sql.all<AccountRow>(`${ACCOUNT_SELECT} WHERE d.name = ? ${order}`, [domain]);
      return rows.map(toAccount);
    },
    async page(request, domain) {
      const { rows, total } = await pageOfRows<AccountRow>(sql, ACCOUNT_PAGES, request, domainFilter(domain));
      return { rows: rows.map(toAccount), total };
    },
    async countInDomain(domainId) {
      return (await sql.value<number>('SELECT count(*) FROM accounts WHERE domain_id = ?', [domainId]))!;
    },
    async secrets(localPart, domain) {
      const r = await byAddress(localPart, domain);
      return r && toSecrets(r);
    },
    async update(id, changes) {
      if (changes.displayName !== undefined) await sql.run('UPDATE accounts SET display_name = ? WHERE id = ?', [changes.displayName, id]);
      if (changes.quotaBytes !== undefined) await sql.run('UPDATE accounts SET quota_bytes = ? WHERE id = ?', [changes.quotaBytes, id]);
      if (changes.active !== undefined) await sql.run('UPDATE accounts SET active = ? WHERE id = ?', [bit(changes.active), id]);
      if (changes.passwordHash !== undefined) await sql.run('UPDATE accounts SET password_hash = ? WHERE id = ?', [changes.passwordHash, id]);
      if (changes.scramSecret !== undefined) await sql.run('UPDATE accounts SET scram_sha256 = ? WHERE id = ?', [changes.scramSecret, id]);
      const account = await repo.get(id);
      if (!account) throw new NotFoundError(`Account ${id} no longer exists.`);
      return account;
    },
    async recordLogin(id, at) {
      await sql.run('UPDATE accounts SET last_login_at = ? WHERE id = ?', [at, id]);
    },
    async addUsage(id, delta) {
      await sql.run('UPDATE accounts SET used_bytes = greatest(0, used_bytes + ?) WHERE id = ?', [delta, id]);
    },
    async deleteRow(id) {
      await sql.run('DELETE FROM accounts WHERE id = ?', [id]);
    },
  };
  return repo;
}

const ALIAS_SELECT = `
  SELECT x.*, d.name AS domain,
    (SELECT coalesce(json_agg(address ORDER BY position), '[]')::text FROM alias_destinations WHERE alias_id = x.id) AS destinations
  FROM aliases x JOIN domains d ON d.id = x.domain_id`;
const ALIAS_ORDER = 'ORDER BY d.name COLLATE "C", lower(x.local_part) COLLATE "C"';

export function createAliasRepo(sql: Sql, clock: Clock): Async<AliasRepo> {
  const writeDestinations = async (id: number, destinations: string[]) => {
    await sql.run('DELETE FROM alias_destinations WHERE alias_id = ?', [id]);
    for (const [position, address] of destinations.entries()) {
      await sql.run('INSERT INTO alias_destinations (alias_id, position, address) VALUES (?, ?, ?)', [id, position, address]);
    }
  };
  const many = async (where: string, params: unknown[]) => (await sql.all<AliasRow>(`${ALIAS_SELECT} ${where}`, params)).map(toAlias);
  return {
    async add(domainId, localPart, destinations) {
      const id = await sql.value<number>('INSERT INTO aliases (domain_id, local_part, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id', [
        domainId,
        localPart,
        clock.now(),
      ]);
      if (id === undefined) throw new ConflictError(`The alias ${localPart} already exists in this domain.`);
      await writeDestinations(id, destinations);
      return (await many('WHERE x.id = ?', [id]))[0];
    },
    async find(localPart, domain) {
      return (await many('WHERE d.name = ? AND x.local_part = ?', [domain, localPart]))[0];
    },
    list: (domain) => (domain === undefined ? many(ALIAS_ORDER, []) : many(`WHERE d.name = ? ${ALIAS_ORDER}`, [domain])),
    async page(request, domain) {
      const spec = aliasPages(ALIAS_SELECT, "(SELECT string_agg(address, ' ') FROM alias_destinations WHERE alias_id = x.id)");
      const { rows, total } = await pageOfRows<AliasRow>(sql, spec, request, domainFilter(domain));
      return { rows: rows.map(toAlias), total };
    },
    setDestinations: (id, destinations) => writeDestinations(id, destinations),
    async setActive(id, active) {
      await sql.run('UPDATE aliases SET active = ? WHERE id = ?', [bit(active), id]);
    },
    async deleteRow(id) {
      await sql.run('DELETE FROM aliases WHERE id = ?', [id]);
    },
    async deleteInDomain(domainId) {
      await sql.run('DELETE FROM aliases WHERE domain_id = ?', [domainId]);
    },
    referencing: (address) => many('WHERE x.id IN (SELECT alias_id FROM alias_destinations WHERE lower(address) = lower(?))', [address]),
  };
}

export function createTransportRepo(sql: Sql, clock: Clock): Async<TransportRepo> {
  const get = (domain: string) => sql.one<TransportRow>('SELECT * FROM transports WHERE domain = ?', [domain]);
  return {
    async set(domain, route) {
      const smtp = route.kind === 'smtp' ? route : null;
      await sql.run(
        `INSERT INTO transports (domain, kind, host, port, mx_lookup, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (domain) DO UPDATE SET kind = excluded.kind, host = excluded.host, port = excluded.port, mx_lookup = excluded.mx_lookup`,
        [domain, route.kind, smtp?.host ?? null, smtp?.port ?? null, bit(smtp?.mxLookup ?? false), clock.now()],
      );
      return toTransport((await get(domain))!);
    },
    async get(domain) {
      const row = await get(domain);
      return row && toTransport(row);
    },
    list: async () => (await sql.all<TransportRow>('SELECT * FROM transports ORDER BY domain COLLATE "C"')).map(toTransport),
    remove: async (domain) => (await sql.run('DELETE FROM transports WHERE domain = ?', [domain])) > 0,
  };
}

const networkParams = (description: string, p: NetworkPermissions) => [
  description,
  bit(p.allowSmtp),
  bit(p.allowImap),
  bit(p.allowPop3),
  bit(p.relay),
  bit(p.requireTlsForAuth),
  p.expiresAt,
];

export function createNetworkRepo(sql: Sql, clock: Clock): Async<NetworkRepo> {
  const repo: Async<NetworkRepo> = {
    async add(cidr, description, permissions) {
      const added = await sql.run(
        `INSERT INTO networks (description, allow_smtp, allow_imap, allow_pop3, relay, require_tls_auth, expires_at, cidr, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [...networkParams(description, permissions), cidr, clock.now()],
      );
      if (added === 0) throw new ConflictError(`The network ${cidr} is already listed.`);
      return (await repo.get(cidr))!;
    },
    async get(cidr) {
      const row = await sql.one<NetworkRow>('SELECT * FROM networks WHERE cidr = ?', [cidr]);
      return row && toNetwork(row);
    },
    list: async () => (await sql.all<NetworkRow>('SELECT * FROM networks ORDER BY id')).map(toNetwork),
    async update(cidr, changes) {
      const current = await repo.get(cidr);
      if (!current) throw new NotFoundError(`The network ${cidr} is not listed.`);
      const next = { ...current, ...changes };
      await sql.run(
        `UPDATE networks SET description = ?, allow_smtp = ?, allow_imap = ?, allow_pop3 = ?, relay = ?, require_tls_auth = ?, expires_at = ? WHERE cidr = ?`,
        [...networkParams(next.description, next), cidr],
      );
      return (await repo.get(cidr))!;
    },
    remove: async (cidr) => (await sql.run('DELETE FROM networks WHERE cidr = ?', [cidr])) > 0,
  };
  return repo;
}

const ruleColumns = (r: RuleInput) => [r.stage, JSON.stringify(r.match), r.action, r.replyCode, r.replyText, r.description, bit(r.enabled)];

export function createRuleRepo(sql: Sql, clock: Clock): Async<RuleRepo> {
  const idsOf = async (stage: RuleStage) => (await sql.all<{ id: number }>('SELECT id FROM rules WHERE stage = ? ORDER BY position', [stage])).map((r) => r.id);
  /** Rewrites the stage's positions as 0..n-1 in the given id order. */
  const renumber = async (ids: number[]) => {
    for (const [i, id] of ids.entries()) await sql.run('UPDATE rules SET position = ? WHERE id = ?', [i, id]);
  };
  const byId = (id: number) => sql.one<RuleRow>('SELECT * FROM rules WHERE id = ?', [id]);
  const requireRule = async (id: number) => {
    const row = await byId(id);
    if (!row) throw new NotFoundError(`There is no rule ${id}.`);
    return toRule(row);
  };
  return {
    async list(stage) {
      const rows = stage
        ? await sql.all<RuleRow>('SELECT * FROM rules WHERE stage = ? ORDER BY position', [stage])
        : await sql.all<RuleRow>('SELECT * FROM rules ORDER BY stage COLLATE "C", position');
      return rows.map(toRule);
    },
    async get(id) {
      const row = await byId(id);
      return row && toRule(row);
    },
    async add(rule, position) {
      const ids = await idsOf(rule.stage);
      const id = (await sql.value<number>(
        `INSERT INTO rules (stage, match, action, reply_code, reply_text, description, enabled, position, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [...ruleColumns(rule), ids.length, clock.now()],
      ))!;
      ids.splice(clamp(position ?? ids.length, ids.length), 0, id);
      await renumber(ids);
      return requireRule(id);
    },
    async update(id, rule) {
      const before = await requireRule(id);
      await sql.run('UPDATE rules SET stage = ?, match = ?, action = ?, reply_code = ?, reply_text = ?, description = ?, enabled = ? WHERE id = ?', [
        ...ruleColumns(rule),
        id,
      ]);
      if (before.stage !== rule.stage) {
        await renumber(await idsOf(before.stage));
        await renumber([...(await idsOf(rule.stage)).filter((x) => x !== id), id]);
      }
      return requireRule(id);
    },
    async move(id, position) {
      const rule = await requireRule(id);
      const ids = (await idsOf(rule.stage)).filter((x) => x !== id);
      ids.splice(clamp(position, ids.length), 0, id);
      await renumber(ids);
      return requireRule(id);
    },
    async remove(id) {
      const rule = await requireRule(id);
      await sql.run('DELETE FROM rules WHERE id = ?', [id]);
      await renumber(await idsOf(rule.stage));
    },
    policyGeneration: async () => (await sql.value<number>('SELECT n FROM policy_generation'))!,
  };
}
