// Per-recipient Sieve at local delivery (DESIGN §6): for each local account of a prepared
// delivery, run its program (programs.ts) and replace its INBOX copy by what the actions say
// (actions.ts). An account without scripts keeps its copy untouched, and the message is parsed for
// Sieve only when some recipient has scripts.
//
// Invariants: a script that fails to load (a missing include, a script an older engine accepted)
// or to run keeps the mail in INBOX and logs `sieve.failed` with the script, line, column and
// error; CPU and action limits are the engine's (server/sieve/limits.ts).
import type { Logger } from '../../log.js';
import { mimeSieveMessage, runProgram, SieveCompileError, type SieveMessage, type SieveResult } from '../../sieve/index.js';
import type { Delivery, LocalCopy, Store, StoreChange } from '../../store/index.js';
import type { PreparedDelivery } from '../prepare.js';
import type { Srs } from '../srs.js';
import { carryOut } from './actions.js';
import { createProgramLoader, type AccountProgram } from './programs.js';

export interface SieveDeps {
  store: Pick<Store, 'mailboxes' | 'sieve'>;
  /** Broadcasts store changes a run made itself (a mailbox fileinto :create made) on the bus. */
  publish(changes: readonly StoreChange[]): void;
  hostname(): string;
  isHosted(domain: string): Promise<boolean>;
  srs(): Promise<Srs>;
}

export interface SievedDelivery {
  local: LocalCopy[];
  /** The account address of each copy in `local`. */
  addresses: string[];
  queued: Delivery[];
  afterCommit: Array<() => Promise<void>>;
  /** The Sieve trace of a copy, for its `delivery.stored` row (see actions.ts). */
  notes: Map<LocalCopy, string>;
  /**
   * Set when every local recipient's script ended in ereject (RFC 5429 §2.1.1): delivery refuses
   * the message at SMTP time with `reason` if no other recipient (remote, Junk-filed) takes it, and
   * otherwise queues the `notices` (§2.1.2: accept, and tell the sender for those who refused).
   */
  refused: { reason: string; notices: Delivery[] } | null;
}

/** `sender` is the envelope sender ('' for <>); `authenticatedAs` the SMTP login, null for mail from the queue. */
export type SieveFilter = (input: { prepared: PreparedDelivery; sender: string; authenticatedAs: string | null; log: Logger; now: number }) => Promise<SievedDelivery>;

const IMPLICIT_KEEP: SieveResult = { actions: [{ type: 'keep', flags: [], implicit: true, position: null }], error: null, scriptOf: () => null };

export function createSieveFilter(deps: SieveDeps): SieveFilter {
  const programs = createProgramLoader(deps.store);
  return async ({ prepared, sender, authenticatedAs, log, now }) => {
    const out: SievedDelivery = { local: [], addresses: [], queued: [], afterCommit: [], notes: new Map(), refused: null };
    const erejects: Array<{ reason: string; notice: Delivery | null }> = [];
    const shared = prepared.delivery.bytes;
    let message: SieveMessage | null = null;
    for (const [i, target] of prepared.targets.entries()) {
      const messageId = prepared.messageId;
      let loaded: AccountProgram | null;
      try {
        loaded = await programs(target.accountId);
      } catch (error) {
        if (!(error instanceof SieveCompileError)) throw error;
        log.warn('sieve.failed', { messageId, to: target.address, error: error.message, trace: `sieve: the scripts could not be loaded (${error.message}); kept in INBOX` });
        loaded = null;
      }
      if (loaded === null) {
        out.local.push(prepared.delivery.local[i]);
        out.addresses.push(target.address);
        continue;
      }
      message ??= mimeSieveMessage(shared, prepared.described.parsed);
      if (message.headerValues('delivered-to').some((v) => v.trim().toLowerCase() === target.address.toLowerCase())) {
        // A redirect (ours carry Delivered-To, actions.ts) came back to an account it already reached.
        log.warn('sieve.loop', { messageId, to: target.address, trace: `sieve: not run, the message was already delivered to ${target.address} (a redirect loop); kept in INBOX` });
        out.local.push(prepared.delivery.local[i]);
        out.addresses.push(target.address);
        continue;
      }
      let result = runProgram(loaded.program, message, { envelope: { from: sender, to: target.address, ...(authenticatedAs !== null && { auth: authenticatedAs }) }, now: new Date(now) });
      if (result.error !== null) {
        const { error } = result;
        const script = loaded.label(error.script);
        const description = error.description.replace(/\.$/, '');
        log.warn('sieve.failed', { messageId, to: target.address, script, line: error.position.line, column: error.position.column, error: description, trace: `sieve: ${script} failed at line ${error.position.line}, column ${error.position.column}: ${description}; kept in INBOX` });
        result = IMPLICIT_KEEP;
      }
      const done = await carryOut(
        { store: deps.store, publish: deps.publish, log, hostname: deps.hostname(), now, target, inboxCopy: prepared.delivery.local[i], sender, shared, described: prepared.described, message, isHosted: deps.isHosted, srs: deps.srs, label: loaded.label },
        result,
      );
      out.local.push(...done.local);
      out.addresses.push(...done.local.map(() => target.address));
      out.queued.push(...done.queued);
      out.afterCommit.push(...done.afterCommit);
      for (const [copy, note] of done.notes) out.notes.set(copy, note);
      if (done.ereject !== null) erejects.push(done.ereject);
    }
    const notices = erejects.flatMap((e) => (e.notice === null ? [] : [e.notice]));
    if (erejects.length > 0 && erejects.length === prepared.targets.length) out.refused = { reason: erejects[0].reason, notices };
    else out.queued.push(...notices);
    return out;
  };
}
