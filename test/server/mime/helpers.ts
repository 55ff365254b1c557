// Shared helpers for the MIME tests: the public corpus (read from ../shared beside the clone),
// CRLF message literals, and a plain IMAP rendering of ImapValue so expectations can be written
// the way RFC 3501 and imaptest print them.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { toCrlf } from '../../../server/mime/crlf.js';
import type { ImapValue } from '../../../server/mime/imap-value.js';
import { parseMessage, type ParsedMessage } from '../../../server/mime/part-tree.js';

/** From dist/test/server/mime/ this is <clone>/../shared/corpus/messages/ (/work/shared/...). */
export const CORPUS_DIR = fileURLToPath(new URL('../../../../../shared/corpus/messages/', import.meta.url));

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.eml'))
    .sort();
}

/** A corpus message as stored at ingest (CRLF-normalized). */
export function corpus(name: string): Buffer {
  return toCrlf(readFileSync(CORPUS_DIR + name));
}

/** A message literal: "\n" becomes CRLF, other bytes are taken as latin1. */
export function crlf(text: string): Buffer {
  return Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'latin1');
}

export function parse(raw: Buffer): { raw: Buffer; parsed: ParsedMessage } {
  return { raw, parsed: parseMessage(raw) };
}

/** ImapValue in IMAP syntax: NIL, numbers, quoted strings, {n} literals for 8-bit/CR/LF. */
export function imapText(value: ImapValue): string {
  if (value === null) return 'NIL';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `(${value.map(imapText).join(' ')})`;
  if (/[\r\n\x80-\xff]/.test(value)) return `{${value.length}}\r\n${value}`;
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}
