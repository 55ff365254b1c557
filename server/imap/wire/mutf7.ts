// Mailbox names on the wire: modified UTF-7 (RFC 3501 §5.1.3) and the INBOX special case (§5.1).
//
// Invariants: inside the server a mailbox name is a plain Unicode string; only the wire carries
// mUTF-7. Decoding is strict — a name is accepted only in its one canonical encoding (decode, encode
// again, compare), which rejects 8-bit bytes, unterminated `&` runs, encoded printable ASCII, split
// UTF-16 units and lone surrogates alike — so two spellings can never name the same mailbox.

const SHIFT_BODY = /^[A-Za-z0-9+,]*$/;

function isPrintable(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

/** Unicode → modified UTF-7. */
export function encodeMutf7(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; ) {
    const code = name.charCodeAt(i);
    if (isPrintable(code)) {
      out += code === 0x26 ? '&-' : name[i];
      i++;
      continue;
    }
    let j = i + 1;
    while (j < name.length && !isPrintable(name.charCodeAt(j))) j++;
    const utf16 = Buffer.alloc((j - i) * 2);
    for (let k = i; k < j; k++) utf16.writeUInt16BE(name.charCodeAt(k), (k - i) * 2);
    out += `&${utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
    i = j;
  }
  return out;
}

/** Modified UTF-7 → Unicode, or null when `wire` is not a canonical mUTF-7 name. */
/**
 * Marks a name that is not valid modified UTF-7 (`a&b`, raw 8-bit): the grammar passes it on instead of
 * failing, so commands answer NO (RFC 3501 leaves it to the server; Dovecot says NO) and a LIST pattern
 * carrying it matches nothing. NUL can never be part of a real name.
 */
export const UNDECODABLE_NAME = '\u0000';

export function decodeMutf7(wire: string): string | null {
  let out = '';
  for (let i = 0; i < wire.length; ) {
    const code = wire.charCodeAt(i);
    if (!isPrintable(code)) return null;
    if (code !== 0x26) {
      out += wire[i];
      i++;
      continue;
    }
    const end = wire.indexOf('-', i + 1);
    if (end === -1) return null;
    const body = wire.slice(i + 1, end);
    if (!SHIFT_BODY.test(body)) return null;
    if (body === '') out += '&';
    else {
      const utf16 = Buffer.from(body.replace(/,/g, '/'), 'base64');
      if (utf16.length % 2 !== 0) return null;
      for (let k = 0; k < utf16.length; k += 2) out += String.fromCharCode(utf16.readUInt16BE(k));
    }
    i = end + 1;
  }
  return encodeMutf7(out) === wire && !hasLoneSurrogate(out) ? out : null;
}

function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) return true;
  }
  return false;
}

/**
 * INBOX is case-insensitive (RFC 3501 §5.1): `inbox`, `Inbox` → `INBOX`, and so is the INBOX part of
 * its children (`inbox/Work` → `INBOX/Work`), so every spelling names the same mailbox.
 */
export function normalizeMailboxName(name: string, delimiter = '/'): string {
  if (name.length < 5 || name.slice(0, 5).toUpperCase() !== 'INBOX') return name;
  if (name.length === 5) return 'INBOX';
  return name.startsWith(delimiter, 5) ? `INBOX${name.slice(5)}` : name;
}
