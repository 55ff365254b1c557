// Milters (the Sendmail milter protocol, version 6, as Postfix's `smtpd_milters` speaks it): the chain
// the SMTP layer calls once per stage.
//
// API:
//   const chain = createMilterChain({ hostname, milters: [{ name, endpoint: 'inet:127.0.0.1:11332' |
//     'unix:/run/x.sock', defaultAction?, connectTimeoutMs?, commandTimeoutMs?, contentTimeoutMs?,
//     macros? }] }, { log, dial? });
//   per SMTP connection:  const s = chain.open();
//     await s.connect({ hostname, address, port, family }, macros?)   → MilterVerdict
//     await s.helo(name, macros?)                                     → MilterVerdict
//     await s.mail(sender, esmtpParams?, macros?)  ({auth_authen}, i …) → MilterVerdict
//     await s.rcpt(recipient, esmtpParams?, macros?)                  → MilterVerdict (this recipient)
//     await s.data(macros?)                                            → MilterVerdict
//     await s.unknown(commandLine, macros?)                            → MilterVerdict
//     await s.message(bytes, macros?)                                  → MessageVerdict
//     s.abort()   on RSET or when the transaction ends without a message; s.quit() when the client leaves.
//   A verdict is `continue`, `discard` (accept and drop the message), or `reject`/`tempfail` with the
//   SmtpReply to send (`disconnect` for 421). A refusal at connect/HELO holds for the whole connection
//   (every later stage returns it). `message` returns, on `continue`, the message with the header and
//   body edits applied, the envelope edits for applyEnvelopeModifications(), and a quarantine reason.
//
// Invariants:
// - One stage at a time per session (the SMTP layer awaits each verdict before the next command).
// - Milters run in configured order; the first that does not continue decides the stage and later
//   milters do not see that event (Postfix's milter.c). At end of message each milter sees the message
//   as the milters before it left it, so edits compose.
// - Macros accumulate over the connection: `j`, `{daemon_name}`, `v`, `_`, `{client_*}` from the
//   config and connect(), `{mail_addr}` from mail(), `{rcpt_addr}` from rcpt(), plus whatever the caller
//   passes per stage (`i` = queue id, `{auth_authen}`, `{auth_type}`, `{tls_version}` …).
// - Sessions never throw for a milter's sake: failures become that milter's default action
//   (milter-client.ts decides, in one place). Bad configuration throws MilterConfigError at creation.
import { isIP } from 'node:net';
import type { Logger } from '../log.js';
import { parseEndpoint } from './endpoint.js';
import { MilterConfigError } from './errors.js';
import type { MacroLists, MacroValues } from './macros.js';
import { MilterClient, type ClientInfo, type DefaultAction, type MilterSettings } from './milter-client.js';
import { dialMilter, type MilterDialer } from './milter-link.js';
import { applyMessageModifications, type Modification } from './modifications.js';
import { CONTINUE, type MilterVerdict } from './verdict.js';

export interface MilterDefinition {
  readonly name: string;
  /** `inet:host:port`, `inet:[v6]:port` or `unix:/path`. */
  readonly endpoint: string;
  /** What a milter that is down, times out or breaks the protocol means (Postfix's milter_default_action). */
  readonly defaultAction?: DefaultAction;
  /** Postfix milter_connect_timeout (30 s): connecting plus option negotiation. */
  readonly connectTimeoutMs?: number;
  /** Postfix milter_command_timeout (30 s): each envelope command. */
  readonly commandTimeoutMs?: number;
  /** Postfix milter_content_timeout (300 s): each header/body/end-of-message step. */
  readonly contentTimeoutMs?: number;
  /** Macro names per stage, replacing Postfix's defaults (a milter's SETSYMLIST still wins). */
  readonly macros?: MacroLists;
}

export interface MilterChainConfig {
  /** `j` (and `{daemon_name}` unless given): this server's host name. */
  readonly hostname: string;
  readonly daemonName?: string;
  readonly milters: readonly MilterDefinition[];
  /** Bound on a milter's replacement body (default 64 MiB). */
  readonly maxMessageBytes?: number;
}

export interface MilterChainDeps {
  readonly log: Logger;
  readonly dial?: MilterDialer;
}

export interface ConnectionInfo {
  /** Verified reverse name of the client, or null. */
  readonly hostname: string | null;
  readonly address: string;
  readonly port: number;
}

export type AppliedModification = Modification & { readonly milter: string };

export type MessageVerdict =
  | {
      readonly action: 'continue';
      /** The message after every milter's header and body edits. */
      readonly message: Buffer;
      /** Everything the milters changed, in order; envelope edits go to applyEnvelopeModifications. */
      readonly modifications: readonly AppliedModification[];
      readonly quarantine: { readonly milter: string; readonly reason: string } | null;
    }
  | Exclude<MilterVerdict, { readonly action: 'continue' }>;

export interface MilterSession {
  connect(client: ConnectionInfo, macros?: MacroValues): Promise<MilterVerdict>;
  helo(name: string, macros?: MacroValues): Promise<MilterVerdict>;
  mail(sender: string, params?: readonly string[], macros?: MacroValues): Promise<MilterVerdict>;
  rcpt(recipient: string, params?: readonly string[], macros?: MacroValues): Promise<MilterVerdict>;
  data(macros?: MacroValues): Promise<MilterVerdict>;
  unknown(command: string, macros?: MacroValues): Promise<MilterVerdict>;
  message(message: Buffer, macros?: MacroValues): Promise<MessageVerdict>;
  abort(): void;
  quit(): void;
}

export interface MilterChain {
  /** Milters configured, in order (empty: every stage continues without I/O). */
  readonly names: readonly string[];
  open(): MilterSession;
}

const SECOND = 1000;
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export function createMilterChain(config: MilterChainConfig, deps: MilterChainDeps): MilterChain {
  const settings = config.milters.map((m) => resolve(m, config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES));
  const names = settings.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new MilterConfigError('milter names must be unique');
  const dial = deps.dial ?? dialMilter;
  const fixed: MacroValues = { j: config.hostname, daemon_name: config.daemonName ?? config.hostname, v: 'Mailroom' };
  return {
    names,
    open: () => openSession(settings.map((s) => new MilterClient(s, dial, deps.log.child({ fields: { milter: s.name } }))), fixed),
  };
}

function openSession(clients: readonly MilterClient[], fixed: MacroValues): MilterSession {
  let values: Record<string, string | undefined> = { ...fixed };
  const merge = (more: MacroValues | undefined, derived: MacroValues = {}) => {
    values = { ...values, ...derived, ...more };
    return values;
  };
  const each = async (step: (client: MilterClient) => Promise<MilterVerdict>): Promise<MilterVerdict> => {
    for (const client of clients) {
      const verdict = await step(client);
      if (verdict.action !== 'continue') return verdict;
    }
    return CONTINUE;
  };
  return {
    connect(client, macros) {
      const name = client.hostname ?? 'unknown';
      const info: ClientInfo = { hostname: client.hostname, address: client.address, port: client.port, family: familyOf(client.address) };
      const v = merge(macros, {
        client_addr: client.address,
        client_name: name,
        client_ptr: name,
        client_port: String(client.port),
        _: `${name} [${client.address}]`,
      });
      return each((c) => c.connect(info, v));
    },
    helo(name, macros) {
      const v = merge(macros);
      return each((c) => c.helo(name, v));
    },
    mail(sender, params = [], macros) {
      const v = merge(macros, { mail_addr: sender });
      return each((c) => c.mail([`<${sender}>`, ...params], v));
    },
    rcpt(recipient, params = [], macros) {
      const v = merge(macros, { rcpt_addr: recipient });
      return each((c) => c.rcpt([`<${recipient}>`, ...params], v));
    },
    data(macros) {
      const v = merge(macros);
      return each((c) => c.data(v));
    },
    unknown(command, macros) {
      const v = merge(macros);
      return each((c) => c.unknown(command, v));
    },
    async message(message, macros) {
      const v = merge(macros);
      let current = message;
      const modifications: AppliedModification[] = [];
      let quarantine: { milter: string; reason: string } | null = null;
      for (const client of clients) {
        const { verdict, endOfMessage } = await client.message(current, v);
        if (verdict.action !== 'continue') return verdict;
        if (!endOfMessage) continue;
        current = applyMessageModifications(current, endOfMessage.modifications);
        modifications.push(...endOfMessage.modifications.map((m) => ({ ...m, milter: client.name })));
        if (endOfMessage.quarantine !== null) quarantine ??= { milter: client.name, reason: endOfMessage.quarantine };
      }
      return { action: 'continue', message: current, modifications, quarantine };
    },
    abort() {
      for (const client of clients) client.abort();
    },
    quit() {
      for (const client of clients) client.quit();
    },
  };
}

function resolve(definition: MilterDefinition, maxBodyBytes: number): MilterSettings {
  if (!/^[\w.-]+$/.test(definition.name)) {
    throw new MilterConfigError(`milter name ${JSON.stringify(definition.name)} must be letters, digits, '.', '_' or '-'`);
  }
  const timeout = (value: number | undefined, fallback: number, what: string) => {
    const ms = value ?? fallback;
    if (!Number.isInteger(ms) || ms <= 0) throw new MilterConfigError(`milter ${definition.name}: ${what} must be a positive number of milliseconds`);
    return ms;
  };
  const defaultAction = definition.defaultAction ?? 'tempfail';
  if (!['tempfail', 'accept', 'reject'].includes(defaultAction)) {
    throw new MilterConfigError(`milter ${definition.name}: default action must be tempfail, accept or reject`);
  }
  return {
    name: definition.name,
    endpoint: parseEndpoint(definition.endpoint),
    defaultAction,
    connectTimeoutMs: timeout(definition.connectTimeoutMs, 30 * SECOND, 'connect timeout'),
    commandTimeoutMs: timeout(definition.commandTimeoutMs, 30 * SECOND, 'command timeout'),
    contentTimeoutMs: timeout(definition.contentTimeoutMs, 300 * SECOND, 'content timeout'),
    macros: definition.macros ?? {},
    maxBodyBytes,
  };
}

function familyOf(address: string): ClientInfo['family'] {
  const version = isIP(address);
  return version === 4 ? 'inet' : version === 6 ? 'inet6' : 'unknown';
}

export { applyEnvelopeModifications, applyMessageModifications, type Envelope, type Modification } from './modifications.js';
export { MilterConfigError } from './errors.js';
export type { MilterVerdict } from './verdict.js';
export type { MacroValues } from './macros.js';
