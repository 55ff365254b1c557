// Commands that name one mailbox: SELECT/EXAMINE (with CONDSTORE and QRESYNC parameters), CREATE,
// DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, STATUS.
//
// Invariant: mailbox names leave here decoded from modified UTF-7, with INBOX normalised.
import { shown } from '../errors.js';
import type { Reader } from '../tokens.js';
import type { SeqRanges } from '../sequence-set.js';
import type { StatusItem } from '../responses.js';

export interface MailboxArgs {
  readonly mailbox: string;
}

// create = "CREATE" SP mailbox (§6.3.3); delete = "DELETE" SP mailbox (§6.3.4);
// subscribe = "SUBSCRIBE" SP mailbox (§6.3.6); unsubscribe = "UNSUBSCRIBE" SP mailbox (§6.3.7)
// (RFC 3501); getquotaroot = "GETQUOTAROOT" SP mailbox (RFC 9208 §4.3)
export function parseMailbox(r: Reader): MailboxArgs {
  r.sp('mailbox name');
  return { mailbox: r.mailbox() };
}

export interface RenameArgs {
  readonly from: string;
  readonly to: string;
}

// rename = "RENAME" SP mailbox SP mailbox (RFC 3501 §6.3.5)
export function parseRename(r: Reader): RenameArgs {
  r.sp('mailbox name');
  const from = r.mailbox();
  r.sp('new mailbox name');
  return { from, to: r.mailbox('new mailbox name') };
}

export interface QresyncParams {
  readonly uidValidity: number;
  readonly modSeq: number;
  readonly knownUids: SeqRanges | null;
  /** Message numbers and the UIDs the client holds for them, to find expunges cheaply. */
  readonly seqMatch: { readonly seqs: SeqRanges; readonly uids: SeqRanges } | null;
}

export interface SelectArgs {
  readonly mailbox: string;
  readonly condstore: boolean;
  readonly qresync: QresyncParams | null;
}

// select = "SELECT" SP mailbox [select-params] (RFC 3501 §6.3.1, RFC 4466 §2.1);
// examine = "EXAMINE" SP mailbox [select-params] (§6.3.2);
// select-params = SP "(" select-param *(SP select-param) ")";
// select-param =/ "CONDSTORE" (RFC 7162 §3.1.8) / "QRESYNC" SP "(" uidvalidity SP
//   mod-sequence-value [SP known-uids] [SP seq-match-data] ")" (RFC 7162 §3.2.5)
export function parseSelect(r: Reader): SelectArgs {
  r.sp('mailbox name');
  const mailbox = r.mailbox();
  let condstore = false;
  let qresync: QresyncParams | null = null;
  if (!r.atEnd()) {
    r.sp('select parameters');
    r.list('select parameters', () => {
      const name = r.keyword('select parameter');
      if (name === 'CONDSTORE') condstore = true;
      else if (name === 'QRESYNC') {
        r.sp('QRESYNC parameters');
        qresync = parseQresync(r);
      } else r.fail(`Unknown select parameter ${shown(name)}`);
    });
  }
  return { mailbox, condstore, qresync };
}

function parseQresync(r: Reader): QresyncParams {
  r.expect(0x28, '( before QRESYNC parameters');
  const uidValidity = r.nzNumber('UIDVALIDITY');
  r.sp('mod-sequence');
  const modSeq = r.modSequence('mod-sequence', false);
  let knownUids: SeqRanges | null = null;
  let seqMatch: QresyncParams['seqMatch'] = null;
  if (r.tryByte(0x20) && r.peek() !== 0x28) knownUids = withoutStar(r, r.sequenceRanges('known UIDs'), 'known UIDs');
  if (r.peek() === 0x20 || r.peek() === 0x28) {
    if (knownUids !== null) r.sp('sequence match data');
    r.expect(0x28, '( before sequence match data');
    const seqs = withoutStar(r, r.sequenceRanges('known sequence set'), 'known sequence set');
    r.sp('known UID set');
    const uids = withoutStar(r, r.sequenceRanges('known UID set'), 'known UID set');
    r.expect(0x29, ') after sequence match data');
    seqMatch = { seqs, uids };
  }
  r.expect(0x29, ') after QRESYNC parameters');
  return { uidValidity, modSeq, knownUids, seqMatch };
}

// known-uids, known-sequence-set and known-uid-set may not contain "*" (RFC 7162 §3.2.5, §7)
function withoutStar(r: Reader, set: SeqRanges, what: string): SeqRanges {
  if (set.some((range) => range.from === '*' || range.to === '*')) r.fail(`Invalid ${what}: * is not allowed`);
  return set;
}

export type { StatusItem };
const STATUS_ITEMS: ReadonlySet<string> = new Set(['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'HIGHESTMODSEQ', 'SIZE', 'MAILBOXID', 'DELETED']);

export interface StatusArgs {
  readonly mailbox: string;
  readonly items: StatusItem[];
}

// status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")" (RFC 3501 §6.3.10);
// status-att =/ "HIGHESTMODSEQ" (RFC 7162 §3.1.7) / "SIZE" (RFC 8438 §3) / "MAILBOXID" (RFC 8474 §4)
export function parseStatus(r: Reader): StatusArgs {
  r.sp('mailbox name');
  const mailbox = r.mailbox();
  r.sp('status items');
  return { mailbox, items: readStatusItems(r) };
}

/** `"(" status-att *(SP status-att) ")"`, also used by LIST RETURN (STATUS ...). */
export function readStatusItems(r: Reader): StatusItem[] {
  return r.list('status items', () => {
    const item = r.keyword('status item');
    if (!STATUS_ITEMS.has(item)) r.fail(`Unknown status item ${shown(item)}`);
    return item as StatusItem;
  });
}
