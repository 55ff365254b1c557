// Carries out one recipient's Sieve actions (DESIGN §6): where the local copies go and with which
// flags, and which messages leave through the outbound queue (redirects, rejection notices,
// vacation replies). Each action is logged on the message (`sieve.action`, with the script and line
// that asked for it) so the message trace shows why mail landed where it did.
//
// Invariants:
// - Mail is never lost by a script: a fileinto whose mailbox is missing (without :create) or cannot
//   be made goes to INBOX instead, logged; a run-time error is the engine's implicit keep.
// - A mailbox gets at most one copy per recipient (keep and fileinto "INBOX" merge).
// - Nothing is answered to the null sender: reject to <> and vacation to <> are dropped (logged).
// - Redirects to another domain carry an SRS envelope sender (srs.ts); the message bytes stay as
//   received, so the original DKIM signature still verifies.
import type { Logger } from '../../log.js';
import type { SieveAction, SieveMessage, SieveResult, VacationAction } from '../../sieve/index.js';
import { decideVacationReply, VACATION_MAX_PERIOD } from '../../sieve/index.js';
import type { Delivery, LocalCopy, Store, StoreChange } from '../../store/index.js';
import { FLAG_BITS, type SystemFlag } from '../../store/messages.js';
import { canonicalMailboxName, INBOX } from '../../store/mailboxes.js';
import type { DescribedMessage } from '../describe.js';
import type { LocalTarget } from '../recipients.js';
import type { Srs } from '../srs.js';
import { buildDsn } from '../outbound/dsn.js';
import { buildRejectNotice, buildVacationReply } from './notices.js';

export interface ActionContext {
  store: Pick<Store, 'mailboxes' | 'sieve'>;
  publish(changes: readonly StoreChange[]): void;
  log: Logger;
  hostname: string;
  now: number;
  target: LocalTarget;
  /** The INBOX copy delivery prepared (reused for a keep without flags). */
  inboxCopy: LocalCopy;
  /** The envelope sender ('' for <>). */
  sender: string;
  shared: Buffer;
  described: DescribedMessage;
  message: SieveMessage;
  isHosted(domain: string): Promise<boolean>;
  srs(): Promise<Srs>;
  /** How the trace names the script an action came from. */
  label(script: string | null): string;
}

export interface RecipientOutcome {
  local: LocalCopy[];
  /** Messages for the outbound queue. */
  queued: Delivery[];
  /** Work for after the local copies are committed (the vacation log). */
  afterCommit: Array<() => Promise<void>>;
  /** Traces that go on a copy's `delivery.stored` row instead of a row of their own (the implicit keep). */
  notes: Map<LocalCopy, string>;
  /**
   * An ereject (RFC 5429): refused at SMTP time when every recipient of the transaction refuses,
   * else answered by `notice` (null to the null sender); delivery decides which (sieve/index.ts).
   */
  ereject: { reason: string; notice: Delivery | null } | null;
}

const SYSTEM_FLAGS = new Map(Object.keys(FLAG_BITS).map((f) => [f.toLowerCase(), f as SystemFlag]));
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** RFC 3501 flag-keyword: atom characters only (no CTL, space or ( ) { % * " \ ]). */
const isKeyword = (f: string): boolean => f !== '' && [...f].every((c) => c > ' ' && c !== '\x7f' && !'(){%*"\\]'.includes(c));

function flagsOf(list: readonly string[]): { flags: number; keywords: string[] } {
  let flags = 0;
  const keywords: string[] = [];
  for (const f of list) {
    const system = SYSTEM_FLAGS.get(f.toLowerCase());
    if (system !== undefined) flags |= FLAG_BITS[system];
    else if (isKeyword(f)) keywords.push(f);
  }
  return { flags, keywords };
}

export async function carryOut(ctx: ActionContext, result: SieveResult): Promise<RecipientOutcome> {
  const out: RecipientOutcome = { local: [], queued: [], afterCommit: [], notes: new Map(), ereject: null };
  const { log, target } = ctx;
  const messageId = ctx.described.messageId;
  const trace = (action: SieveAction, text: string, fields: Record<string, unknown> = {}) => {
    const script = ctx.label(result.scriptOf(action));
    const where = action.position === null ? script : `${script} at line ${action.position.line}`;
    log.info('sieve.action', { messageId, to: target.address, action: action.type, script, line: action.position?.line ?? null, trace: `sieve: ${text} by ${where}`, ...fields });
  };
  const filed = new Set<number>();
  const file = (mailboxId: number, flagList: readonly string[]): LocalCopy | null => {
    if (filed.has(mailboxId)) return null;
    filed.add(mailboxId);
    const flags = flagsOf(flagList);
    const copy = mailboxId === target.mailboxId && flags.flags === 0 && flags.keywords.length === 0 ? ctx.inboxCopy : { ...ctx.described.copyFor({ mailboxId, address: target.address }, ctx.sender, ctx.now), ...flags };
    out.local.push(copy);
    return copy;
  };

  for (const action of result.actions) {
    switch (action.type) {
      case 'keep': {
        const copy = file(target.mailboxId, action.flags);
        // The common outcome of a script whose rules did not match: said on the stored row, not a row of its own.
        if (action.implicit && copy !== null) out.notes.set(copy, `sieve: no rule took the message; implicit keep in INBOX${action.flags.length > 0 ? ` with flags ${action.flags.join(' ')}` : ''}`);
        else trace(action, action.implicit ? 'keep (implicit) in INBOX' : 'keep in INBOX', { flags: action.flags });
        break;
      }
      case 'fileinto': {
        const mailbox = await fileintoMailbox(ctx, action.mailbox, action.create);
        if (mailbox.ok) {
          file(mailbox.id, action.flags);
          trace(action, `fileinto ${action.mailbox}${mailbox.created ? ' (created)' : ''}`, { mailbox: action.mailbox, flags: action.flags });
        } else {
          file(target.mailboxId, action.flags);
          trace(action, `fileinto ${action.mailbox} failed (${mailbox.reason}); kept in INBOX instead`, { mailbox: action.mailbox, error: mailbox.reason });
        }
        break;
      }
      case 'discard':
        trace(action, 'discard');
        break;
      case 'reject': {
        // reject answers with an MDN; ereject, when it cannot refuse at SMTP time, with a DSN (RFC 5429 §2.1.2)
        const notice =
          ctx.sender === ''
            ? null
            : action.extended
              ? buildDsn({ hostname: ctx.hostname, queueId: null, sender: ctx.sender, arrivalDate: ctx.now, now: ctx.now, failed: [{ result: { recipient: target.address, outcome: 'permanent', status: '5.7.1', diagnostic: `rejected by the recipient's mail rules: ${action.reason}`, fromRemote: false, remoteMta: null }, lastAttemptAt: ctx.now }], original: ctx.shared, returnFull: false })
              : buildRejectNotice({ hostname: ctx.hostname, to: ctx.sender, recipient: target.address, reason: action.reason, original: ctx.shared, originalMessageId: messageId, now: ctx.now });
        const queued: Delivery | null = notice === null ? null : { bytes: notice.bytes, local: [], remote: { sender: '', recipients: [ctx.sender], messageId: notice.messageId } };
        if (action.extended) {
          out.ereject = { reason: action.reason, notice: queued };
          trace(action, `ereject: refused at SMTP time if every recipient refuses, else ${queued === null ? 'no notice to the null sender' : `a DSN to ${ctx.sender}`}`, { reason: action.reason });
          break;
        }
        if (queued !== null) out.queued.push(queued);
        trace(action, queued === null ? 'reject: no notice to the null sender' : `reject: notice to ${ctx.sender}`, { reason: action.reason });
        break;
      }
      case 'redirect': {
        const sender = await redirectSender(ctx, action.address);
        // Delivered-To on top (as Postfix forwards) lets a redirect that comes back be recognised
        // (sieve/index.ts); a new field above the others leaves the original DKIM signature valid.
        const bytes = Buffer.concat([Buffer.from(`Delivered-To: ${target.address}\r\n`, 'utf8'), ctx.shared]);
        out.queued.push({ bytes, local: [], remote: { sender, recipients: [action.address], messageId } });
        trace(action, `redirect to ${action.address}${action.copy ? ' (copy)' : ''}`, { redirect: action.address, sender });
        break;
      }
      case 'vacation':
        await vacation(ctx, action, out, trace);
        break;
    }
  }
  return out;
}

type FileintoTarget = { ok: true; id: number; created: boolean } | { ok: false; reason: string };

async function fileintoMailbox(ctx: ActionContext, name: string, create: boolean): Promise<FileintoTarget> {
  const canonical = canonicalMailboxName(name);
  if (canonical === INBOX) return { ok: true, id: ctx.target.mailboxId, created: false };
  const found = await ctx.store.mailboxes.get(ctx.target.accountId, canonical);
  if (found !== undefined) return { ok: true, id: found.id, created: false };
  if (!create) return { ok: false, reason: 'no such mailbox' };
  try {
    const { result, changes } = await ctx.store.mailboxes.createPath(ctx.target.accountId, canonical);
    // IMAP sessions (LIST-STATUS, NOTIFY) and the GUI learn of the folder as of one CREATE made.
    ctx.publish(changes);
    return { ok: true, id: result.id, created: true };
  } catch (error) {
    // Created meanwhile by another delivery: use it.
    const again = await ctx.store.mailboxes.get(ctx.target.accountId, canonical);
    if (again !== undefined) return { ok: true, id: again.id, created: false };
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** RFC 5228 §4.2 keeps the envelope sender; towards another domain it is rewritten with SRS. */
async function redirectSender(ctx: ActionContext, to: string): Promise<string> {
  const from = ctx.sender;
  if (from === '' || (await ctx.isHosted(domainOf(to))) || (await ctx.isHosted(domainOf(from)))) return from;
  return (await ctx.srs()).forward(from, domainOf(ctx.target.address));
}

async function vacation(ctx: ActionContext, action: VacationAction, out: RecipientOutcome, trace: (a: SieveAction, text: string, fields?: Record<string, unknown>) => void): Promise<void> {
  const { target } = ctx;
  const decision = await decideVacationReply(
    { action, message: ctx.message, envelope: { from: ctx.sender, to: target.address }, ownAddresses: [target.address], now: new Date(ctx.now) },
    { repliedSince: (sender, handle, since) => ctx.store.sieve.repliedSince(target.accountId, sender, handle, since.getTime()) },
  );
  if (!decision.reply) {
    trace(action, `vacation: no reply (${decision.reason})`);
    return;
  }
  const reply = buildVacationReply({ hostname: ctx.hostname, ...decision, now: ctx.now });
  out.queued.push({ bytes: reply.bytes, local: [], remote: { sender: '', recipients: [decision.to], messageId: reply.messageId } });
  out.afterCommit.push(async () => {
    await ctx.store.sieve.recordReply(target.accountId, decision.to, action.handle, ctx.now);
    // No period is longer than the engine's maximum: older rows can never matter again.
    await ctx.store.sieve.pruneReplies(ctx.now - VACATION_MAX_PERIOD * 1000);
  });
  trace(action, `vacation: reply to ${decision.to}`, { reply: reply.messageId });
}
