// IMAP BODY and BODYSTRUCTURE (RFC 3501 §7.4.2) of a parsed message, as an ImapValue.
//
// Invariants (Dovecot 2.3's answers, which clients are written against):
// - Type, subtype, parameter names and values are written as in the message (case kept),
//   except that a message/rfc822 part is always "message" "rfc822".
// - No Content-Type (or not MIME): "text" "plain". A broken Content-Type: "" "" with no
//   parameters and no line count. Text parts always carry a charset parameter ("us-ascii" added
//   last when absent). Missing encoding is "7bit".
// - Size is the stored body length (CRLF-normalized bytes); lines count the body's line feeds.
// - A multipart without children (boundary never found, header cut short) is written with one
//   empty text/plain child, never with zero.
// - BODY (extended=false) is the same without the extension data; BODYSTRUCTURE adds
//   md5/params, disposition, language and location.

import { envelope } from './envelope.js';
import { unfold } from './header.js';
import type { ImapValue } from './imap-value.js';
import { LineCounter } from './line-count.js';
import { readMimeFields, type MimeFields } from './mime-fields.js';
import type { MimeParam } from './params.js';
import type { MimePart, ParsedMessage } from './part-tree.js';

const DEFAULT_CHARSET = 'us-ascii';

function emptyTextPart(extended: boolean): ImapValue {
  const basic: ImapValue[] = ['text', 'plain', ['charset', DEFAULT_CHARSET], null, null, '7bit', 0, 0];
  return extended ? [...basic, null, null, null, null] : basic;
}

function paramList(params: readonly MimeParam[], withCharset: boolean): ImapValue {
  if (params.length === 0 && !withCharset) return null;
  const list: ImapValue[] = params.flat();
  if (withCharset && !params.some(([name]) => name.toLowerCase() === 'charset')) list.push('charset', DEFAULT_CHARSET);
  return list;
}

function nstring(value: string | null): ImapValue {
  return value === null ? null : unfold(value);
}

/** disposition, language, location: the tail both body forms share. */
function commonExtension(f: MimeFields): ImapValue[] {
  return [
    f.disposition === null ? null : [f.disposition.type, paramList(f.disposition.params, false)],
    f.language,
    nstring(f.location),
  ];
}

class Writer {
  private readonly lines: LineCounter;

  constructor(
    private readonly raw: Buffer,
    private readonly extended: boolean,
  ) {
    this.lines = new LineCounter(raw);
  }

  part(part: MimePart, insideMultipart: boolean): ImapValue[] {
    const f = readMimeFields(this.raw, part, insideMultipart);
    if (part.kind === 'multipart') {
      const children = part.parts ?? [];
      const out: ImapValue[] = children.length > 0 ? children.map((c) => this.part(c, true)) : [emptyTextPart(this.extended)];
      out.push(f.contentType?.subtype ?? '');
      if (this.extended) out.push(paramList(f.contentType?.params ?? [], false), ...commonExtension(f));
      return out;
    }

    const message = part.kind === 'message';
    const ct = f.contentType;
    const text = !message && (ct === null || ct.type.toLowerCase() === 'text');
    const out: ImapValue[] = [
      message ? 'message' : ct === null ? 'text' : ct.type,
      message ? 'rfc822' : ct === null ? 'plain' : ct.subtype,
      paramList(ct?.params ?? [], text),
      nstring(f.id),
      nstring(f.description),
      f.encoding ?? '7bit',
      part.bodyEnd - part.bodyStart,
    ];
    if (text) {
      out.push(this.lines.count(part.bodyStart, part.bodyEnd));
    } else if (message) {
      const child = (part.parts as MimePart[])[0];
      out.push(envelope(this.raw, child), this.part(child, false), this.lines.count(part.bodyStart, part.bodyEnd));
    }
    if (this.extended) out.push(nstring(f.md5), ...commonExtension(f));
    return out;
  }
}

/** BODYSTRUCTURE (extended, the default) or BODY (extended = false) of the whole message. */
export function bodyStructure(raw: Buffer, parsed: ParsedMessage, extended = true): ImapValue {
  return new Writer(raw, extended).part(parsed.root, false);
}
