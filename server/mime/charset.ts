// Charset conversion for SEARCH: bytes in a declared charset to a JS string, never throwing.
//
// Invariants:
// - Any label TextDecoder (full ICU) knows is used as is, plus a few aliases mail uses but the
//   WHATWG registry lacks (cp932, ...). A "*language" suffix (RFC 2231 §5) is ignored.
// - Unknown, missing or 7-bit-only labels fall back to UTF-8 when the bytes are valid UTF-8 and to
//   windows-1252 otherwise, so undeclared 8-bit text still becomes searchable.
// - Decoders are created once per label. windows-1252 (which WHATWG also uses for latin1 and
//   us-ascii labels) is decoded here: Node 20's TextDecoder drops its 8-bit bytes.

import { TextDecoder } from 'node:util';

const ALIASES: Record<string, string> = {
  cp932: 'shift_jis',
  'x-ms-cp932': 'shift_jis',
  'shift-jis': 'shift_jis',
  'x-euc-jp': 'euc-jp',
  'iso-2022-jp-2': 'iso-2022-jp',
  ucs2: 'utf-16le',
  'ucs-2': 'utf-16le',
};

// Labels that claim 7-bit (or nothing useful): 8-bit bytes under them are really something else.
const UNINFORMATIVE = new Set(['', 'us-ascii', 'ascii', 'ansi_x3.4-1968', 'unknown-8bit', 'x-unknown', 'unknown', 'default']);

// windows-1252 0x80-0x9f; the other bytes are their latin1 code points.
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let start = 0; start < bytes.length; ) {
    let end = start;
    while (end < bytes.length && (bytes[end] < 0x80 || bytes[end] > 0x9f)) end++;
    out += Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
    if (end < bytes.length) out += CP1252_HIGH[bytes[end] - 0x80];
    start = end + 1;
  }
  return out;
}

type Decode = (bytes: Uint8Array) => string;

const decoders = new Map<string, Decode | null>();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decoderFor(label: string): Decode | null {
  let decode = decoders.get(label);
  if (decode === undefined) {
    try {
      const decoder = new TextDecoder(ALIASES[label] ?? label);
      decode = decoder.encoding === 'windows-1252' ? decodeWindows1252 : (bytes) => decoder.decode(bytes);
    } catch {
      decode = null;
    }
    decoders.set(label, decode);
  }
  return decode;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

/** Bytes of unknown charset: UTF-8 when they are valid UTF-8, windows-1252 otherwise. */
export function decodeUnknown(bytes: Uint8Array): string {
  if (isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return decodeWindows1252(bytes);
  }
}

export function decodeBytes(bytes: Uint8Array, charset: string | null): string {
  const label = (charset ?? '').trim().toLowerCase().replace(/\*.*$/, '');
  if (UNINFORMATIVE.has(label)) return decodeUnknown(bytes);
  const decode = decoderFor(label);
  return decode === null ? decodeUnknown(bytes) : decode(bytes);
}

/** A latin1 byte string (see imap-value.ts) read as text of unknown charset. */
export function decodeLatin1Bytes(value: string): string {
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) >= 0x80) return decodeUnknown(Buffer.from(value, 'latin1'));
  }
  return value;
}
