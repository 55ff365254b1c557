// The user's word through the IMAP Junk folder (issue 16): a message moved or copied out of Junk
// (not into Trash: deleting spam says nothing about it) puts its sender on the user's own allow list
// (source `junk-folder`) and is learned as ham by rspamd; a message moved or copied into Junk takes
// its sender off that list again (only an entry the Junk folder made; the admin's stay) and is
// learned as spam. rspamd is asked only when spam.rspamdController is set.
//
// Invariants: this runs after the IMAP command answered (the client never waits for rspamd); every
// outcome is logged (`junk.allowed`, `junk.unallowed`, `junk.learned`, `junk.learn-failed`); at most
// LEARN_LIMIT messages of one command are looked at, so a bulk move cannot flood rspamd.
import type { Logger } from '../log.js';
import type { Settings } from '../settings.js';
import type { Store } from '../store/index.js';
import type { Mailbox } from '../store/mailboxes.js';
import { fieldValues, headerFields } from '../mime/header.js';
import { parseAddressList } from '../mime/address-list.js';
import { parseSenderPattern, SenderPatternError } from '../policy/sender-lists.js';
import { learnRspamd, type LearnKind } from './rspamd-learn.js';

export const LEARN_LIMIT = 50;

export const isJunkFolder = (m: Pick<Mailbox, 'name' | 'specialUse'>) => m.specialUse === '\\Junk' || m.name === 'Junk';

/** What moving from one folder to another says: spam, ham, or nothing. */
export function junkSignal(from: Pick<Mailbox, 'name' | 'specialUse'>, to: Pick<Mailbox, 'name' | 'specialUse'>): LearnKind | null {
  if (isJunkFolder(to) && !isJunkFolder(from)) return 'spam';
  if (isJunkFolder(from) && !isJunkFolder(to) && to.specialUse !== '\\Trash') return 'ham';
  return null;
}

/** The envelope sender delivery recorded (Return-Path), else the first From: address; null for none. */
export function senderOf(message: Buffer): string | null {
  const end = message.indexOf('\r\n\r\n');
  const fields = headerFields(message, 0, end < 0 ? message.length : end + 2);
  const returnPath = fieldValues(message, fields, 'return-path')[0]?.trim().replace(/^<|>$/g, '');
  if (returnPath) return returnPath;
  const from = fieldValues(message, fields, 'from')[0];
  const first = from === undefined ? undefined : parseAddressList(from).find((a) => a.mailbox && a.domain);
  return first ? `${first.mailbox}@${first.domain}` : null;
}

export interface JunkLearningDeps {
  store: Pick<Store, 'messages' | 'senderLists'>;
  settings(): Settings;
  log: Logger;
}

/** Acts on messages that arrived in `to` (their new UIDs there) from `from`. */
export async function learnFromMove(deps: JunkLearningDeps, accountId: number, from: Mailbox, to: Mailbox, uids: readonly number[]): Promise<void> {
  const kind = junkSignal(from, to);
  if (kind === null || uids.length === 0) return;
  const { store, log } = deps;
  const { rspamdController, rspamdPassword } = deps.settings().spam;
  if (uids.length > LEARN_LIMIT) log.info('junk.learn-limited', { accountId, messages: uids.length, learned: LEARN_LIMIT });
  for (const meta of await store.messages.meta(to.id, uids.slice(0, LEARN_LIMIT))) {
    const message = await store.messages.read(meta.id);
    if (message === null) continue;
    await updateAllowList(deps, accountId, kind, senderOf(message));
    if (rspamdController === '') continue;
    const outcome = await learnRspamd(rspamdController, rspamdPassword, kind, message);
    if (outcome.ok) log.info('junk.learned', { accountId, kind, folder: to.name, detail: outcome.detail });
    else log.warn('junk.learn-failed', { accountId, kind, controller: rspamdController, error: outcome.detail });
  }
}

async function updateAllowList(deps: JunkLearningDeps, accountId: number, kind: LearnKind, sender: string | null) {
  if (sender === null) return;
  let parsed: ReturnType<typeof parseSenderPattern>;
  try {
    parsed = parseSenderPattern(sender);
  } catch (error) {
    if (error instanceof SenderPatternError) return;
    throw error;
  }
  const { pattern } = parsed;
  const scope = { domainId: null, accountId };
  if (kind === 'ham') {
    if (await deps.store.senderLists.find('allow', scope, pattern)) return;
    await deps.store.senderLists.add({ list: 'allow', ...scope, kind: parsed.kind, pattern, source: 'junk-folder' });
    deps.log.info('junk.allowed', { accountId, sender: pattern });
    return;
  }
  const entry = await deps.store.senderLists.find('allow', scope, pattern);
  if (entry?.source !== 'junk-folder') return;
  await deps.store.senderLists.remove(entry.id);
  deps.log.info('junk.unallowed', { accountId, sender: pattern });
}
