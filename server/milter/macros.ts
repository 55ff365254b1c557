// Sendmail macros sent before each event (SMFIC_MACRO): which names each stage sends, and their values.
//
// Invariants:
// - The names for a stage come from, in order: the milter's own SMFIR_SETSYMLIST request, the
//   milter's configured list, Postfix's defaults (`milter_*_macros`, plus `{client_addr}`,
//   `{client_name}`, `{client_port}` at connect, which rspamd and opendkim read).
// - A name is looked up without its braces (`{auth_authen}` and `auth_authen` are one macro) and sent
//   as listed; names without a value are left out, as Postfix leaves them out.
import type { MacroStage } from './protocol.js';

export type MacroValues = Readonly<Record<string, string | undefined>>;

/** The stages that carry macros: the SMFIM_* stages plus SMTP commands the server does not know. */
export type MacroListStage = MacroStage | 'unknown';
export type MacroLists = Partial<Readonly<Record<MacroListStage, readonly string[]>>>;

export const DEFAULT_MACROS: Readonly<Record<MacroListStage, readonly string[]>> = {
  connect: ['j', '{daemon_name}', '{daemon_addr}', 'v', '_', '{client_addr}', '{client_name}', '{client_port}'],
  helo: ['{tls_version}', '{cipher}', '{cipher_bits}', '{cert_subject}', '{cert_issuer}'],
  mail: ['i', '{auth_type}', '{auth_authen}', '{auth_author}', '{mail_addr}', '{mail_host}', '{mail_mailer}'],
  rcpt: ['i', '{rcpt_addr}', '{rcpt_host}', '{rcpt_mailer}'],
  data: ['i'],
  eoh: ['i'],
  eom: ['i'],
  unknown: [],
};

export function macroKey(name: string): string {
  return name.startsWith('{') && name.endsWith('}') ? name.slice(1, -1) : name;
}

/** The (name, value) pairs to send for `names`, in their order, skipping names without a value. */
export function selectMacros(names: readonly string[], values: MacroValues): [string, string][] {
  const pairs: [string, string][] = [];
  for (const name of names) {
    const value = values[macroKey(name)];
    if (value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}
