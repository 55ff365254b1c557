// The IMAP ENVELOPE (RFC 3501 §7.4.2) of a message header, and the sent date SEARCH uses.
//
// Invariants (Dovecot 2.3's answers, which clients are written against):
// - Fields are date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id.
// - With repeated fields the last Date/Subject/In-Reply-To/Message-ID counts, and address fields
//   are all taken together (three To: fields give one list).
// - Values are raw bytes (encoded words stay encoded, 8-bit bytes pass unchanged), unfolded.
//   Subject and display names are additionally cleaned for humans: TABs become spaces, runs of
//   whitespace collapse to one, leading and trailing whitespace is removed.
// - Sender and Reply-To default to From when absent or empty; an absent field is NIL; an empty
//   Subject is "" (not NIL). A header with none of the fields gives ten NILs.

import { parseAddressList, type EnvelopeAddress } from './address-list.js';
import { parseDate } from './date.js';
import { headerFields, fieldValue, sameName, unfold } from './header.js';
import type { ImapValue } from './imap-value.js';
import type { MimePart, ParsedMessage } from './part-tree.js';

/** Dovecot's imap_append_string_for_humans: one space between words, no edges, no line breaks. */
function forHumans(value: string): string {
  return value
    .replace(/[\r\n]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
}

function addressValue(list: EnvelopeAddress[]): ImapValue {
  if (list.length === 0) return null;
  return list.map((a) => [a.name === null ? null : forHumans(a.name), a.route, a.mailbox, a.domain]);
}

const STRING_FIELDS = ['date', 'subject', 'in-reply-to', 'message-id'] as const;
const ADDRESS_FIELDS = ['from', 'sender', 'reply-to', 'to', 'cc', 'bcc'] as const;

/** ENVELOPE of the message whose header is `part`'s (the root, or a message/rfc822 child). */
export function envelope(raw: Buffer, part: MimePart): ImapValue {
  const strings = new Map<string, string>();
  const addresses = new Map<string, EnvelopeAddress[]>();
  for (const field of headerFields(raw, part.headerStart, part.headerEnd)) {
    const name = field.name.toLowerCase();
    if ((STRING_FIELDS as readonly string[]).includes(name)) {
      strings.set(name, fieldValue(raw, field));
    } else if ((ADDRESS_FIELDS as readonly string[]).includes(name)) {
      const list = addresses.get(name) ?? [];
      for (const address of parseAddressList(fieldValue(raw, field))) list.push(address); // no spread: lists can be huge
      addresses.set(name, list);
    }
  }
  const text = (name: string): string | null => {
    const value = strings.get(name);
    return value === undefined ? null : unfold(value);
  };
  const subject = strings.get('subject');
  const from = addresses.get('from') ?? [];
  const orFrom = (name: string): EnvelopeAddress[] => {
    const list = addresses.get(name) ?? [];
    return list.length > 0 ? list : from;
  };
  return [
    text('date'),
    subject === undefined ? null : forHumans(subject),
    addressValue(from),
    addressValue(orFrom('sender')),
    addressValue(orFrom('reply-to')),
    addressValue(addresses.get('to') ?? []),
    addressValue(addresses.get('cc') ?? []),
    addressValue(addresses.get('bcc') ?? []),
    text('in-reply-to'),
    text('message-id'),
  ];
}

/** The last Date field of the message, parsed; null when absent or unreadable. */
export function sentDate(raw: Buffer, parsed: ParsedMessage): number | null {
  const root = parsed.root;
  const dates = headerFields(raw, root.headerStart, root.headerEnd).filter((f) => sameName(f.name, 'date'));
  return dates.length === 0 ? null : parseDate(unfold(fieldValue(raw, dates[dates.length - 1])));
}
