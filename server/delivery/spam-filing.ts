// Spam filing at local delivery (issue 16, DESIGN §6): a copy for a recipient goes to its Junk folder
// instead of INBOX when a milter marked the message as spam (spam-verdict.ts) or the sender is on a
// block list that files to Junk; a sender on the recipient's allow list (its own, its domain's or the
// global one) is never filed. The decision and its reason are logged per recipient (`delivery.junk`,
// `delivery.allowed`) with the Message-ID, so the message trace shows why mail went where it went.
//
// Invariants: the filed copy skips the recipient's Sieve scripts (as a global "before" rule that files
// spam and stops); an account without a Junk folder (\Junk, or named Junk) keeps the copy in INBOX and
// the log says so; nothing here drops a copy.
import type { Logger } from '../log.js';
import type { LocalCopy, Store } from '../store/index.js';
import { describeEntry, listVerdict, senderKeys } from '../policy/sender-lists.js';
import type { PreparedDelivery } from './prepare.js';
import type { LocalTarget } from './recipients.js';

export type ListDecision = { list: 'allow' | 'block'; why: string } | null;

/** The list decision for each local account of a recipient (by account id). */
export async function listDecisions(
  store: Pick<Store, 'senderLists' | 'accounts'>,
  sender: string,
  ip: string,
  targets: readonly Pick<LocalTarget, 'accountId'>[],
): Promise<Map<number, ListDecision>> {
  const decisions = new Map<number, ListDecision>();
  if (targets.length === 0) return decisions;
  const scopes = new Map<number, number>();
  for (const t of targets) {
    const account = await store.accounts.get(t.accountId);
    if (account) scopes.set(t.accountId, account.domainId);
  }
  const keys = senderKeys(sender);
  const candidates = await store.senderLists.candidates(keys.address, keys.domain, [...new Set(scopes.values())], [...scopes.keys()]);
  for (const [accountId, domainId] of scopes) {
    const verdict = listVerdict(candidates, ip, { domainId, accountId });
    decisions.set(accountId, verdict && { list: verdict.list, why: describeEntry(verdict.entry) });
  }
  return decisions;
}

export interface SpamFilingInput {
  /** Why the milters think this is spam, or null. */
  spam: string | null;
  sender: string;
  ip: string;
  /** What a block-list hit does (spam.blockAction); `reject` ones were refused at RCPT already. */
  blockAction: 'reject' | 'junk';
}

/**
 * Splits the prepared local copies: those filed to Junk now, and the rest (left to Sieve). The
 * returned `prepared` holds only the rest, so Sieve never sees a filed copy.
 */
export async function fileSpam(
  store: Pick<Store, 'senderLists' | 'accounts' | 'mailboxes'>,
  prepared: PreparedDelivery,
  input: SpamFilingInput,
  log: Logger,
): Promise<{ prepared: PreparedDelivery; junk: Array<{ copy: LocalCopy; address: string }> }> {
  // Without a spam verdict only a block list filing to Junk could file a copy: no lists to read.
  if (prepared.targets.length === 0 || (input.spam === null && input.blockAction !== 'junk')) return { prepared, junk: [] };
  const decisions = await listDecisions(store, input.sender, input.ip, prepared.targets);
  const messageId = prepared.messageId;
  const keep: number[] = [];
  const junk: Array<{ copy: LocalCopy; address: string }> = [];
  for (const [i, target] of prepared.targets.entries()) {
    const decision = decisions.get(target.accountId) ?? null;
    if (decision?.list === 'allow') {
      if (input.spam !== null) log.info('delivery.allowed', { messageId, to: target.address, list: decision.why, spam: input.spam, trace: `not filed as spam: ${decision.why}` });
      keep.push(i);
      continue;
    }
    const reason = decision?.list === 'block' && input.blockAction === 'junk' ? `blocked sender (${decision.why})` : input.spam;
    if (reason === null) {
      keep.push(i);
      continue;
    }
    const mailboxes = await store.mailboxes.list(target.accountId);
    const folder = mailboxes.find((m) => m.specialUse === '\\Junk') ?? mailboxes.find((m) => m.name === 'Junk');
    if (!folder) {
      log.warn('delivery.junk', { messageId, to: target.address, reason, folder: null, trace: `spam (${reason}), but the account has no Junk folder: kept in INBOX` });
      keep.push(i);
      continue;
    }
    log.info('delivery.junk', { messageId, to: target.address, reason, folder: folder.name, trace: `filed to ${folder.name}: ${reason}` });
    junk.push({ copy: { ...prepared.delivery.local[i], mailboxId: folder.id }, address: target.address });
  }
  if (junk.length === 0) return { prepared, junk };
  const rest: PreparedDelivery = {
    ...prepared,
    targets: keep.map((i) => prepared.targets[i]),
    localAddresses: keep.map((i) => prepared.localAddresses[i]),
    delivery: { ...prepared.delivery, local: keep.map((i) => prepared.delivery.local[i]) },
  };
  return { prepared: rest, junk };
}
