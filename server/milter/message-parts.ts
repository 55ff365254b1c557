// A message's header section as a list of fields plus its body, the way the milter protocol sees it:
// the fields are what SMFIC_HEADER sends, the body is what SMFIC_BODY sends, and the list is what
// header edits (change/insert/delete by index) count.
//
// Invariants:
// - Lossless: `raw` of every field, then `separator`, then `body` is exactly the input.
// - A field is its first line and every following line that starts with space or tab (folding).
//   The header section ends at the first empty line (the separator) or, as Postfix's MIME scanner
//   does, at the first line that is neither a field nor a continuation (then the separator is empty
//   and that line is the body's first).
// - Line endings may be CRLF or bare LF; nothing is rewritten here.

export interface HeaderField {
  /** The name as written (case kept). */
  readonly name: string;
  /** The field's bytes, line endings included. */
  readonly raw: Buffer;
}

export interface MessageParts {
  readonly headers: readonly HeaderField[];
  /** The empty line that ends the header section (`\r\n`, `\n`) or empty when there is none. */
  readonly separator: Buffer;
  readonly body: Buffer;
}

const FIELD_NAME = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/;

export function splitMessage(message: Buffer): MessageParts {
  const headers: { name: string; start: number; end: number }[] = [];
  let offset = 0;
  while (offset < message.length) {
    const lf = message.indexOf(0x0a, offset);
    const end = lf < 0 ? message.length : lf + 1;
    const line = message.toString('latin1', offset, end);
    if (line === '\r\n' || line === '\n') {
      return { headers: fields(message, headers), separator: message.subarray(offset, end), body: message.subarray(end) };
    }
    const continuation = (line[0] === ' ' || line[0] === '\t') && headers.length > 0;
    if (continuation) {
      headers[headers.length - 1].end = end;
    } else {
      const name = FIELD_NAME.exec(line)?.[1];
      if (name === undefined) break;
      headers.push({ name, start: offset, end });
    }
    offset = end;
  }
  return { headers: fields(message, headers), separator: Buffer.alloc(0), body: message.subarray(offset) };
}

export function joinMessage(parts: MessageParts): Buffer {
  return Buffer.concat([...parts.headers.map((h) => h.raw), parts.separator, parts.body]);
}

/** The value as SMFIC_HEADER carries it: after the colon, lines joined by LF (Sendmail's form), line
 *  ending dropped, and — unless the milter asked for the leading space — one leading space removed. */
export function headerValueForMilter(field: HeaderField, keepLeadingSpace: boolean): string {
  const text = field.raw.toString('utf8');
  const afterColon = text.slice(text.indexOf(':') + 1).replace(/\r?\n$/, '').replace(/\r\n/g, '\n');
  return !keepLeadingSpace && afterColon.startsWith(' ') ? afterColon.slice(1) : afterColon;
}

/** A header field's bytes from a milter's name and value (value exactly as it follows the colon);
 *  the milter's line breaks (LF or CRLF) become CRLF so folded values stay folded. */
export function formatHeader(name: string, value: string): HeaderField {
  const raw = Buffer.from(`${name}:${value.replace(/\r?\n/g, '\r\n')}\r\n`, 'utf8');
  return { name, raw };
}

function fields(message: Buffer, spans: readonly { name: string; start: number; end: number }[]): HeaderField[] {
  return spans.map((s) => ({ name: s.name, raw: message.subarray(s.start, s.end) }));
}
