// The milters as the SMTP session sees them (DESIGN §6, Postfix's smtpd_milters): one MilterSession per
// connection, fed at each SMTP stage, with each verdict turned into what the session does next.
//
// Implementation notes:
// - The chain is built from the `milters` setting, per listener kind (`mx` is port 25, `submission` is
//   587 and 465), and rebuilt only when that setting changes (a new settings object).
// - CONNECT goes out when the connection is admitted, after the connect-stage rules. smtp-server has
//   no HELO hook, so HELO goes out at the first MAIL (and again when a later MAIL follows a different
//   EHLO name, as after STARTTLS). MAIL, RCPT and DATA go out after our own checks of that stage
//   passed, as Postfix sends them after its restrictions. Headers, body and end of message go out
//   once the message is in, after the data-stage rules and the SPF/DKIM/DMARC check, so milters see
//   the Authentication-Results header.
// - A refusal is thrown as a MilterReply (a multi-line milter reply keeps its lines; 421 closes the
//   connection through smtp-server). `discard` marks the transaction: the client gets 250 and nothing
//   is stored or queued. The default action of a milter that is down is decided in server/milter.
import type { Logger } from '../log.js';
import { createMilterChain, type MessageVerdict, type MilterChain, type MilterSession, type MilterVerdict } from '../milter/index.js';
import type { MacroValues } from '../milter/macros.js';
import { SmtpReply } from '../policy/smtp-reply.js';
import type { MilterSetting, Settings } from '../settings.js';

export type MilterListener = MilterSetting['listeners'][number];

/** A milter's refusal: the reply with every line the milter gave. */
export class MilterReply extends SmtpReply {
  constructor(
    reply: SmtpReply,
    readonly lines: readonly string[],
    readonly milter: string,
  ) {
    super(reply.code, reply.enhanced, reply.text);
  }

  /** Lines joined by LF; server.ts sends each as its own reply line with the enhanced code. */
  override get line(): string {
    return this.lines.map((l) => `${this.enhanced} ${l.replace(/\p{Cc}+/gu, ' ')}`).join('\n');
  }
}

/** What the milters made of a message that may go on. */
export interface MilterMessageOutcome {
  message: Buffer;
  modifications: Extract<MessageVerdict, { action: 'continue' }>['modifications'];
  quarantine: { milter: string; reason: string } | null;
}

export interface SmtpMilters {
  /** Names of the milters in this session's chain. */
  readonly names: readonly string[];
  connect(client: { hostname: string | null; address: string; port: number }): Promise<void>;
  /** Sends HELO when `name` differs from the last one sent; then MAIL. Returns whether to discard. */
  mail(helo: string, sender: string, params: readonly string[], macros: MacroValues): Promise<boolean>;
  rcpt(recipient: string, params: readonly string[]): Promise<boolean>;
  /** DATA, then the message. `discard` when a milter asked to drop it. */
  message(raw: Buffer, macros: MacroValues): Promise<MilterMessageOutcome | 'discard'>;
  abort(): void;
  quit(): void;
}

/** Chains per listener kind, rebuilt when the milters setting changes. */
export function createMilterChains(log: Logger) {
  let built: { milters: Settings['milters']; hostname: string; chains: Map<MilterListener, MilterChain> } | null = null;
  const chainFor = (settings: Settings, listener: MilterListener): MilterChain | null => {
    if (built?.milters !== settings.milters || built.hostname !== settings.hostname) {
      built = { milters: settings.milters, hostname: settings.hostname, chains: new Map() };
    }
    const chains = built.chains;
    if (!chains.has(listener)) {
      const milters = settings.milters
        .filter((m) => m.listeners.includes(listener))
        .map((m) => ({ name: m.name, endpoint: m.endpoint, defaultAction: m.defaultAction, connectTimeoutMs: m.timeoutMs, commandTimeoutMs: m.timeoutMs, contentTimeoutMs: m.contentTimeoutMs }));
      chains.set(listener, createMilterChain({ hostname: settings.hostname, milters, maxMessageBytes: settings.limits.maxMessageBytes }, { log }));
    }
    const chain = chains.get(listener)!;
    return chain.names.length > 0 ? chain : null;
  };
  return {
    /** The milters of a new session, or null when none applies to its listener. */
    open(settings: Settings, listener: MilterListener, sessionLog: Logger): SmtpMilters | null {
      const chain = chainFor(settings, listener);
      return chain ? wrap(chain.open(), chain.names, sessionLog) : null;
    },
  };
}

function wrap(session: MilterSession, names: readonly string[], log: Logger): SmtpMilters {
  let heloSent: string | null = null;
  /** Throws a refusal; answers whether the verdict discards the transaction. */
  const judge = (stage: string, verdict: MilterVerdict): boolean => {
    if (verdict.action === 'continue') return false;
    if (verdict.action === 'discard') {
      log.info('milter.discard', { stage, milter: verdict.milter });
      return true;
    }
    log.info('milter.refused', { stage, milter: verdict.milter, action: verdict.action, reply: `${verdict.reply.code} ${verdict.reply.enhanced} ${verdict.lines.join(' / ')}` });
    throw new MilterReply(verdict.reply, verdict.lines, verdict.milter);
  };
  return {
    names,
    async connect(client) {
      judge('connect', await session.connect(client));
    },
    async mail(helo, sender, params, macros) {
      if (helo !== heloSent) {
        heloSent = helo;
        judge('helo', await session.helo(helo));
      }
      return judge('mail', await session.mail(sender, params, macros));
    },
    async rcpt(recipient, params) {
      return judge('rcpt', await session.rcpt(recipient, params));
    },
    async message(raw, macros) {
      if (judge('data', await session.data(macros))) {
        session.abort();
        return 'discard';
      }
      const verdict = await session.message(raw, macros);
      if (verdict.action !== 'continue') {
        judge('message', verdict); // throws unless it discards
        return 'discard';
      }
      return { message: verdict.message, modifications: verdict.modifications, quarantine: verdict.quarantine };
    },
    abort: () => session.abort(),
    quit: () => session.quit(),
  };
}
