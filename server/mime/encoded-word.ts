// RFC 2047 encoded-word decoding of header values, for SEARCH and display; tolerant of the forms
// real mail uses.
//
// Invariants:
// - Input is a latin1 byte string (a header value as read by header.ts), output is Unicode text.
// - B and Q words in any charset charset.ts can decode; "charset*lang" (RFC 2231 §5) accepted.
// - Whitespace between two encoded words is dropped (RFC 2047 §6.2), and adjacent words in the same
//   charset are decoded as one byte sequence, so a multi-byte character split across words (common
//   with UTF-8 and ISO-2022-JP) survives.
// - Words are also recognised inside other text; malformed words and raw 8-bit bytes are kept as
//   text (8-bit read as UTF-8 when valid, windows-1252 otherwise). Nothing throws.

import { decodeBytes, decodeLatin1Bytes } from './charset.js';
import { unfold } from './header.js';
import { decodeBase64, hexValue } from './transfer-encoding.js';

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

function decodeQ(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5f) {
      out[n++] = 0x20;
    } else if (c === 0x3d && i + 2 < text.length && hexValue(text.charCodeAt(i + 1)) >= 0 && hexValue(text.charCodeAt(i + 2)) >= 0) {
      out[n++] = (hexValue(text.charCodeAt(i + 1)) << 4) | hexValue(text.charCodeAt(i + 2));
      i += 2;
    } else {
      out[n++] = c & 0xff;
    }
  }
  return out.subarray(0, n);
}

function wordBytes(encoding: string, text: string): Buffer {
  return encoding === 'b' || encoding === 'B' ? decodeBase64(Buffer.from(text, 'latin1')) : decodeQ(text);
}

/** Decodes the encoded words of a (possibly folded) latin1 header value into Unicode text. */
export function decodeHeaderValue(value: string): string {
  const text = unfold(value);
  if (!text.includes('=?')) return decodeLatin1Bytes(text);

  let result = '';
  let pendingCharset: string | null = null;
  let pendingBytes: Buffer[] = [];
  const flush = (): void => {
    if (pendingCharset !== null) result += decodeBytes(Buffer.concat(pendingBytes), pendingCharset);
    pendingCharset = null;
    pendingBytes = [];
  };

  let last = 0;
  for (const m of text.matchAll(ENCODED_WORD)) {
    const gap = text.slice(last, m.index);
    const charset = m[1].toLowerCase().replace(/\*.*$/, '');
    if (pendingCharset === null || !/^[ \t]*$/.test(gap)) {
      flush();
      result += decodeLatin1Bytes(gap);
    } else if (pendingCharset !== charset) {
      flush(); // whitespace between encoded words is dropped
    }
    pendingCharset = charset;
    pendingBytes.push(wordBytes(m[2], m[3]));
    last = m.index + m[0].length;
  }
  flush();
  return result + decodeLatin1Bytes(text.slice(last));
}
