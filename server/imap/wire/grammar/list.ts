// LIST (basic and extended) and LSUB.
//
// Invariant: the reference and patterns leave here decoded from modified UTF-7 but otherwise as sent
// (no INBOX normalisation: they are patterns, not names). Unknown options are refused with BAD, as
// RFC 5258 §3 requires, rather than ignored.
import { shown } from '../errors.js';
import type { Reader } from '../tokens.js';
import { readStatusItems, type StatusItem } from './mailbox.js';

export interface ListSelection {
  readonly subscribed: boolean;
  readonly remote: boolean;
  readonly recursiveMatch: boolean;
  readonly specialUse: boolean;
}

export interface ListReturn {
  readonly subscribed: boolean;
  readonly children: boolean;
  readonly specialUse: boolean;
  /** LIST-STATUS (RFC 5819): the STATUS items to send for each listed mailbox, or null. */
  readonly status: StatusItem[] | null;
}

export interface ListArgs {
  readonly reference: string;
  readonly patterns: string[];
  readonly selection: ListSelection;
  readonly returns: ListReturn;
  /** The client used the extended syntax (RFC 5258 §3): answer in the extended form. */
  readonly extended: boolean;
}

// list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
// (RFC 3501 §6.3.8, RFC 5258 §6); list-select-opts = "(" [option *(SP option)] ")";
// mbox-or-pat = list-mailbox / patterns; patterns = "(" list-mailbox *(SP list-mailbox) ")";
// list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")";
// options: SUBSCRIBED REMOTE RECURSIVEMATCH (RFC 5258), SPECIAL-USE (RFC 6154 §3), STATUS (RFC 5819)
export function parseList(r: Reader): ListArgs {
  r.sp('mailbox name');
  let extended = false;
  const selection = { subscribed: false, remote: false, recursiveMatch: false, specialUse: false };
  if (r.peek() === 0x28) {
    extended = true;
    for (const option of r.list('selection options', () => r.keyword('selection option'), true)) {
      if (option === 'SUBSCRIBED') selection.subscribed = true;
      else if (option === 'REMOTE') selection.remote = true;
      else if (option === 'RECURSIVEMATCH') selection.recursiveMatch = true;
      else if (option === 'SPECIAL-USE') selection.specialUse = true;
      else r.fail(`Unknown LIST selection option ${shown(option)}`);
    }
    // RECURSIVEMATCH only modifies another selection option (RFC 5258 §3.1)
    if (selection.recursiveMatch && !selection.subscribed && !selection.specialUse) {
      r.fail('RECURSIVEMATCH needs another selection option');
    }
    r.sp('mailbox name');
  }
  const reference = r.mailboxNameRaw('reference');
  r.sp('mailbox pattern');
  let patterns: string[];
  if (r.peek() === 0x28) {
    extended = true;
    patterns = r.list('mailbox patterns', () => r.listMailbox('mailbox pattern'));
  } else patterns = [r.listMailbox('mailbox pattern')];

  const returns: { subscribed: boolean; children: boolean; specialUse: boolean; status: StatusItem[] | null } = {
    subscribed: false,
    children: false,
    specialUse: false,
    status: null,
  };
  if (!r.atEnd()) {
    extended = true;
    r.sp('RETURN');
    if (r.keyword('RETURN') !== 'RETURN') r.fail('Expected RETURN');
    r.sp('return options');
    r.list(
      'return options',
      () => {
        const option = r.keyword('return option');
        if (option === 'SUBSCRIBED') returns.subscribed = true;
        else if (option === 'CHILDREN') returns.children = true;
        else if (option === 'SPECIAL-USE') returns.specialUse = true;
        else if (option === 'STATUS') {
          r.sp('status items');
          returns.status = readStatusItems(r);
        } else r.fail(`Unknown LIST return option ${shown(option)}`);
      },
      true,
    );
  }
  return { reference, patterns, selection, returns, extended };
}

export interface LsubArgs {
  readonly reference: string;
  readonly pattern: string;
}

// lsub = "LSUB" SP mailbox SP list-mailbox (RFC 3501 §6.3.9)
export function parseLsub(r: Reader): LsubArgs {
  r.sp('mailbox name');
  const reference = r.mailboxNameRaw('reference');
  r.sp('mailbox pattern');
  return { reference, pattern: r.listMailbox('mailbox pattern') };
}
