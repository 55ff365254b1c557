// The SQL schemas the common Postfix/Dovecot guides set up, as table + column mappings. Each preset
// reads whole tables (`SELECT *`) and picks the first column of each candidate list that the table
// has, so the optional columns the guides added over the years (ISPmail's `quota`, Flurdy's `enabled`)
// are used when present. A table marked optional may be missing (older PostfixAdmin has no
// `alias_domain`); a missing required table or column is an error naming it.

/** Canonical field → source column candidates, first present wins. */
export type ColumnMap = Record<string, readonly string[]>;

export interface TableMap {
  table: string;
  columns: ColumnMap;
  /** Fields that must be found (the rest are optional). */
  required: readonly string[];
  optional?: boolean;
}

export interface Preset {
  name: string;
  domains?: TableMap;
  accounts: TableMap;
  aliases?: TableMap;
  aliasDomains?: TableMap;
  transports?: TableMap;
  /** PostfixAdmin writes an alias row `address → address` for every mailbox; it means "deliver here". */
  selfAliases: boolean;
}

const postfixAdmin: Preset = {
  name: 'postfixadmin',
  domains: { table: 'domain', columns: { name: ['domain'], active: ['active'], description: ['description'] }, required: ['name'] },
  accounts: {
    table: 'mailbox',
    columns: { address: ['username'], name: ['name'], password: ['password'], quota: ['quota'], active: ['active'], maildir: ['maildir'] },
    required: ['address', 'password'],
  },
  aliases: { table: 'alias', columns: { address: ['address'], destination: ['goto'], active: ['active'] }, required: ['address', 'destination'] },
  aliasDomains: {
    table: 'alias_domain',
    columns: { alias: ['alias_domain'], target: ['target_domain'], active: ['active'] },
    required: ['alias', 'target'],
    optional: true,
  },
  transports: { table: 'domain', columns: { domain: ['domain'], transport: ['transport'] }, required: ['domain', 'transport'] },
  selfAliases: true,
};

/** workaround.org ISPmail, DigitalOcean and Linode guides. */
const howtoVirtual: Preset = {
  name: 'howto-virtual',
  domains: { table: 'virtual_domains', columns: { name: ['name'] }, required: ['name'] },
  accounts: { table: 'virtual_users', columns: { address: ['email'], password: ['password'], quota: ['quota'] }, required: ['address', 'password'] },
  aliases: { table: 'virtual_aliases', columns: { address: ['source'], destination: ['destination'] }, required: ['address', 'destination'] },
  selfAliases: false,
};

/** HowtoForge "Virtual Users And Domains With Postfix" and Flurdy's guide. */
const howtoForwardings: Preset = {
  name: 'howto-forwardings',
  domains: { table: 'domains', columns: { name: ['domain'] }, required: ['name'] },
  accounts: {
    table: 'users',
    columns: { address: ['email', 'id'], name: ['name'], password: ['password', 'crypt'], quota: ['quota'], active: ['enabled', 'active'], maildir: ['maildir'] },
    required: ['address', 'password'],
  },
  aliases: { table: 'forwardings', columns: { address: ['source'], destination: ['destination'] }, required: ['address', 'destination'] },
  transports: { table: 'transport', columns: { domain: ['domain'], transport: ['transport'] }, required: ['domain', 'transport'], optional: true },
  selfAliases: false,
};

const extmail: Preset = {
  name: 'extmail',
  domains: {
    table: 'domain',
    columns: { name: ['domain'], active: ['active'], description: ['description'], defaultQuota: ['default_quota'] },
    required: ['name'],
  },
  accounts: {
    table: 'mailbox',
    columns: { address: ['username'], name: ['name'], password: ['password'], quota: ['quota'], active: ['active'], maildir: ['maildir'] },
    required: ['address', 'password'],
  },
  aliases: { table: 'alias', columns: { address: ['alias'], destination: ['goto'], active: ['active'] }, required: ['address', 'destination'] },
  transports: { table: 'domain', columns: { domain: ['domain'], transport: ['transport'] }, required: ['domain', 'transport'] },
  selfAliases: true,
};

export const PRESETS = { postfixadmin: postfixAdmin, 'howto-virtual': howtoVirtual, 'howto-forwardings': howtoForwardings, extmail } as const;

/** `howto` tries both HOWTO schemas in this order. */
export const HOWTO_VARIANTS: readonly Preset[] = [howtoVirtual, howtoForwardings];

export type PresetName = keyof typeof PRESETS | 'howto';
export const PRESET_NAMES: readonly PresetName[] = [...(Object.keys(PRESETS) as (keyof typeof PRESETS)[]), 'howto'];
