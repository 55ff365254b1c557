// Reads an old server's directory from SQL through a preset or a custom mapping into a Directory.
// Invariants: password hashes are kept byte for byte (only classified); alias destinations are split
// on commas and whitespace as Postfix does for `goto`; `@domain` becomes the catch-all `*@domain`;
// PostfixAdmin's self-alias (a mailbox whose `goto` is only itself) is dropped, while a `goto` of
// itself plus others (forward and keep a copy) is kept whole; every other row is kept, whatever its
// state (inactive rows come back inactive). Lists come back sorted by name or address.
import { checkHash } from './hash-check.js';
import { enumeratingQuery, firstValueOf, keyOf, quotaRuleBytes, type CustomMapping } from './custom-maps.js';
import { HOWTO_VARIANTS, PRESETS, type PresetName, type Preset, type TableMap } from './presets.js';
import { SqlSourceError, type SqlRow, type SqlSource, type SqlValue } from './sql-source.js';
import type { Directory, ImportedAccount, ImportedAlias } from './types.js';

export interface DirectoryReading extends Directory {
  /** Which preset was used (`howto` resolves to one of its variants). */
  preset: string;
  /** Optional tables that were missing, and similar things worth showing. */
  warnings: string[];
}

type Fields = Record<string, SqlValue | undefined>;

const text = (v: SqlValue | undefined): string => (v === null || v === undefined ? '' : String(v).trim());

/** 1/0, t/f, true/false, y/n, yes/no; a missing column means active. */
function active(v: SqlValue | undefined): boolean {
  return v === null || v === undefined || !/^(0|f|false|n|no)$/i.test(String(v).trim());
}

/** Leading digits in bytes (`104857600S` as maildir++ and extmail write it); 0 = unlimited. */
function bytes(v: SqlValue | undefined): number {
  const m = /^\s*(\d+)/.exec(text(v));
  return m ? Number(m[1]) : 0;
}

function splitDestinations(v: SqlValue | undefined): string[] {
  return text(v).split(/[\s,]+/).filter((d) => d !== '');
}

const catchAll = (address: string): string => (address.startsWith('@') ? `*${address}` : address);

async function readTable(source: SqlSource, map: TableMap, warnings: string[]): Promise<Fields[]> {
  let rows: SqlRow[];
  try {
    rows = await source.query(`SELECT * FROM ${map.table}`);
  } catch (error) {
    if (!map.optional) throw new SqlSourceError(`cannot read table ${map.table}: ${(error as Error).message}`);
    warnings.push(`table ${map.table} was not read (${(error as Error).message})`);
    return [];
  }
  const present = new Set(rows.length > 0 ? Object.keys(rows[0]) : []);
  const chosen = Object.entries(map.columns).map(([field, candidates]) => [field, candidates.find((c) => present.has(c))] as const);
  for (const [field, column] of chosen) {
    if (rows.length > 0 && column === undefined && map.required.includes(field)) {
      throw new SqlSourceError(`table ${map.table} has none of the columns ${map.columns[field].join(', ')}`);
    }
  }
  return rows.map((row) => Object.fromEntries(chosen.map(([field, column]) => [field, column === undefined ? undefined : row[column]])));
}

async function resolvePreset(source: SqlSource, name: PresetName): Promise<Preset> {
  if (name !== 'howto') return PRESETS[name];
  for (const variant of HOWTO_VARIANTS) {
    try {
      await source.query(`SELECT * FROM ${variant.accounts.table} WHERE 1=0`);
      return variant;
    } catch {
      // not this variant's schema; try the next
    }
  }
  throw new SqlSourceError(`neither HOWTO schema was found (no table ${HOWTO_VARIANTS.map((v) => v.accounts.table).join(' or ')})`);
}

function account(f: Fields): ImportedAccount {
  const passwordHash = f.password === null || f.password === undefined ? '' : String(f.password);
  const maildir = text(f.maildir);
  return {
    address: text(f.address),
    name: text(f.name),
    passwordHash,
    hash: checkHash(passwordHash),
    quota: bytes(f.quota),
    active: active(f.active),
    ...(maildir ? { maildir } : {}),
  };
}

function aliasesFrom(rows: Fields[], accounts: ImportedAccount[], selfAliases: boolean): ImportedAlias[] {
  const mailboxes = new Set(accounts.map((a) => a.address.toLowerCase()));
  // One alias per address in first-seen order; HOWTO tables hold one row per destination.
  const byAddress = new Map<string, ImportedAlias>();
  for (const f of rows) {
    const address = catchAll(text(f.address));
    const key = address.toLowerCase();
    const destinations = splitDestinations(f.destination);
    const existing = byAddress.get(key);
    if (existing) existing.destinations.push(...destinations.filter((d) => !existing.destinations.includes(d)));
    else byAddress.set(key, { address, destinations, active: active(f.active) });
  }
  const onlySelf = (a: ImportedAlias) => a.destinations.every((d) => d.toLowerCase() === a.address.toLowerCase());
  return [...byAddress.values()].filter((a) => !(selfAliases && mailboxes.has(a.address.toLowerCase()) && onlySelf(a))).sort(byKey((a) => a.address));
}

function byKey<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

async function readPreset(source: SqlSource, preset: Preset): Promise<DirectoryReading> {
  const warnings: string[] = [];
  const read = (map: TableMap | undefined) => (map ? readTable(source, map, warnings) : Promise.resolve([]));
  const domains = await read(preset.domains);
  const accounts = (await read(preset.accounts)).map(account).sort(byKey((a) => a.address));
  const aliases = aliasesFrom(await read(preset.aliases), accounts, preset.selfAliases);
  const aliasDomains = await read(preset.aliasDomains);
  const transports = (await read(preset.transports)).filter((f) => text(f.transport) !== '' && text(f.domain).toUpperCase() !== 'ALL');
  return {
    preset: preset.name,
    warnings,
    // PostfixAdmin keeps a pseudo-domain `ALL` for its superadmin.
    domains: domains
      .filter((f) => text(f.name) !== '' && text(f.name).toUpperCase() !== 'ALL')
      .map((f) => ({
        name: text(f.name).toLowerCase(),
        active: active(f.active),
        ...(text(f.description) ? { description: text(f.description) } : {}),
        ...(f.defaultQuota !== undefined ? { defaultQuota: bytes(f.defaultQuota) } : {}),
      }))
      .sort(byKey((d) => d.name)),
    accounts,
    aliases,
    aliasDomains: aliasDomains
      .map((f) => ({ alias: text(f.alias).toLowerCase(), target: text(f.target).toLowerCase(), active: active(f.active) }))
      .sort(byKey((d) => d.alias)),
    transports: transports.map((f) => ({ domain: text(f.domain).toLowerCase(), transport: text(f.transport) })).sort(byKey((t) => t.domain)),
  };
}

async function readCustom(source: SqlSource, mapping: CustomMapping): Promise<DirectoryReading> {
  const list = (query: string | undefined, flavour: 'postfix' | 'dovecot') =>
    query ? source.query(enumeratingQuery(query, flavour)) : Promise.resolve([] as SqlRow[]);
  const accounts = (await list(mapping.accounts, 'dovecot'))
    .map((row) => account({ address: keyOf(row), password: row.password, quota: quotaRuleBytes(text(row.userdb_quota_rule ?? row.quota_rule)) }))
    .sort(byKey((a) => a.address));
  const aliasRows = (await list(mapping.aliases, 'postfix')).map((row) => ({ address: keyOf(row), destination: firstValueOf(row) }));
  return {
    preset: 'custom',
    warnings: [],
    domains: (await list(mapping.domains, 'postfix')).map((row) => ({ name: keyOf(row).toLowerCase(), active: true })).sort(byKey((d) => d.name)),
    accounts,
    aliases: aliasesFrom(aliasRows, accounts, true),
    aliasDomains: [],
    transports: (await list(mapping.transports, 'postfix'))
      .map((row) => ({ domain: keyOf(row).toLowerCase(), transport: text(firstValueOf(row)) }))
      .filter((t) => t.transport !== '')
      .sort(byKey((t) => t.domain)),
  };
}

/** The whole directory; throws SqlSourceError naming the table or query that could not be read. */
export async function readDirectory(source: SqlSource, mapping: PresetName | CustomMapping): Promise<DirectoryReading> {
  return typeof mapping === 'string' ? readPreset(source, await resolvePreset(source, mapping)) : readCustom(source, mapping);
}
