// A custom directory mapping: the lookup SELECTs the old server already uses, pasted as they are —
// Postfix `*_maps` queries (`%s` the whole key, `%u` its local part, `%d` its domain) and Dovecot's
// `password_query` (`%u` the whole user, `%n` local part, `%d` domain, `%L` lower-case modifier).
// A lookup query answers one key; to list every row we turn each `column = '%x'` condition into
// `1=1` and select that column as the key, so `SELECT destination FROM virtual_aliases WHERE
// source='%s'` becomes `SELECT source AS mr_key_full, destination FROM virtual_aliases WHERE 1=1`.
// A placeholder anywhere else cannot be listed and is refused with the query named.
import { SqlSourceError, type SqlRow } from './sql-source.js';

export interface CustomMapping {
  /** Postfix `virtual_mailbox_domains` query (key: the domain). */
  domains?: string;
  /** Dovecot `password_query`; must return a `password` column (`userdb_quota_rule` is read too). */
  accounts: string;
  /** Postfix `virtual_alias_maps` query (key: the address; value: destinations, comma-separated). */
  aliases?: string;
  /** Postfix `transport_maps` query (key: the domain; value: the transport). */
  transports?: string;
}

type KeyPart = 'full' | 'local' | 'domain';
type Flavour = 'postfix' | 'dovecot';

const MEANING: Record<Flavour, Record<string, KeyPart>> = {
  postfix: { s: 'full', u: 'local', d: 'domain' },
  dovecot: { u: 'full', n: 'local', d: 'domain' },
};

const CONDITION = /([A-Za-z_][\w.]*|`[^`]+`|"[^"]+")\s*=\s*(['"])%L?([a-zA-Z])\2/g;
const KEY_PREFIX = 'mr_key_';

/** The query rewritten to list every key with its value; throws SqlSourceError when it cannot be. */
export function enumeratingQuery(lookup: string, flavour: Flavour): string {
  const keys = new Map<KeyPart, string>();
  const rewritten = lookup.trim().replace(/;\s*$/, '').replace(CONDITION, (_all, column: string, _q, letter: string) => {
    const part = MEANING[flavour][letter];
    if (!part) throw new SqlSourceError(`"%${letter}" is not a ${flavour} lookup placeholder in: ${lookup}`);
    if (!keys.has(part)) keys.set(part, column);
    return '1=1';
  });
  if (/%L?[a-zA-Z]/.test(rewritten)) throw new SqlSourceError(`a placeholder outside a "column = '%x'" condition cannot be listed: ${lookup}`);
  if (keys.size === 0) throw new SqlSourceError(`no "column = '%x'" condition names the lookup key in: ${lookup}`);
  const select = [...keys].map(([part, column]) => `${column} AS ${KEY_PREFIX}${part}`).join(', ');
  const head = /^SELECT\s+(DISTINCT\s+)?/i.exec(rewritten);
  if (!head) throw new SqlSourceError(`not a SELECT: ${lookup}`);
  return `${head[0]}${select}, ${rewritten.slice(head[0].length)}`;
}

function text(v: SqlRow[string] | undefined): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

/** The key of a listed row: the whole key, or local part and domain joined. */
export function keyOf(row: SqlRow): string {
  const full = text(row[`${KEY_PREFIX}full`]);
  if (full !== undefined) return full;
  const local = text(row[`${KEY_PREFIX}local`]);
  const domain = text(row[`${KEY_PREFIX}domain`]);
  if (local !== undefined && domain !== undefined) return `${local}@${domain}`;
  return domain ?? local ?? '';
}

/** The first column of a listed row that is not a key column (the map's value). */
export function firstValueOf(row: SqlRow): SqlRow[string] {
  const entry = Object.entries(row).find(([k]) => !k.startsWith(KEY_PREFIX));
  return entry ? entry[1] : null;
}

/** Dovecot quota rule `*:bytes=100M` / `*:storage=102400` (KiB) in bytes; 0 when absent. */
export function quotaRuleBytes(rule: string | undefined): number {
  const m = rule ? /\*:(bytes|storage)=(\d+)([kmgt]?)/i.exec(rule) : null;
  if (!m) return 0;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[3].toLowerCase()] ?? 1;
  return Number(m[2]) * unit * (m[1].toLowerCase() === 'storage' && m[3] === '' ? 1024 : 1);
}
