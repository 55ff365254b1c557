// POP3 responses (RFC 1939 §3): what handlers return, and the one encoder that turns them into bytes.
//
// Invariants:
// - Every response is one status line (`+OK text` / `-ERR [CODE] text`) ending in CRLF; a multi-line
//   response follows it with its lines, each line that begins with "." gets one more "." (byte
//   stuffing), and ends with ".CRLF". A message body that does not end in a line break gets a CRLF
//   before the terminator, so the terminator always starts a line.
// - Message bytes are sent as stored (the store keeps CRLF lines): no other rewriting, so the octet
//   counts LIST and STAT report are the counts of the unstuffed bytes, as RFC 1939 §11 asks.
// - Status-line text never holds a CR or LF: the only client text it echoes (a bad message number,
//   a mechanism name) comes from wire.ts, which refuses arguments with control characters.
import type { Pop3Error } from './errors.js';

export type Pop3Reply =
  | { readonly kind: 'ok'; readonly text: string }
  /** A multi-line listing of short lines we generate (CAPA, LIST, UIDL, AUTH). */
  | { readonly kind: 'lines'; readonly text: string; readonly lines: readonly string[] }
  /** A multi-line message body or part of one (RETR, TOP). */
  | { readonly kind: 'message'; readonly text: string; readonly body: Buffer };

export const ok = (text: string): Pop3Reply => ({ kind: 'ok', text });

const LF = 0x0a;
const CR = 0x0d;
const DOT = Buffer.from('.');
const CRLF = Buffer.from('\r\n');
const TERMINATOR = Buffer.from('.\r\n');
const LINE_START_DOT = Buffer.from('\n.');

const status = (text: string) => Buffer.from(text === '' ? '+OK\r\n' : `+OK ${text}\r\n`);

export function encodeReply(reply: Pop3Reply): Buffer {
  switch (reply.kind) {
    case 'ok':
      return status(reply.text);
    case 'lines':
      return Buffer.concat([status(reply.text), dotStuff(Buffer.from(reply.lines.map((l) => `${l}\r\n`).join(''))), TERMINATOR]);
    case 'message':
      return Buffer.concat([status(reply.text), dotStuff(reply.body), TERMINATOR]);
  }
}

export function encodeError(error: Pop3Error): Buffer {
  return Buffer.from(`-ERR ${error.code === null ? '' : `[${error.code}] `}${error.text}\r\n`);
}

/** A continuation in the AUTH exchange (RFC 5034 §4): `+ ` and the base64 challenge (may be empty). */
export function encodeContinuation(challenge: Buffer): Buffer {
  return Buffer.from(`+ ${challenge.toString('base64')}\r\n`);
}

/**
 * Byte-stuffs a multi-line body (RFC 1939 §3) and makes it end in a line break, ready for the
 * terminating ".CRLF". Only lines that begin with "." are touched, so the work is one indexOf per
 * such line, not per line.
 */
export function dotStuff(body: Buffer): Buffer {
  if (body.length === 0) return body;
  const parts: Buffer[] = [];
  if (body[0] === DOT[0]) parts.push(DOT);
  let from = 0;
  for (let at = body.indexOf(LINE_START_DOT); at >= 0; at = body.indexOf(LINE_START_DOT, at + 1)) {
    parts.push(body.subarray(from, at + 1), DOT);
    from = at + 1;
  }
  parts.push(body.subarray(from));
  const last = body[body.length - 1];
  if (last === CR) parts.push(CRLF.subarray(1));
  else if (last !== LF) parts.push(CRLF);
  return Buffer.concat(parts);
}

/**
 * The bytes TOP msg n sends (RFC 1939 §7): the header, the blank line that ends it, and the first
 * `lines` lines of the body. A message without a blank line is all header.
 */
export function topOfMessage(message: Buffer, lines: number): Buffer {
  let bodyStart = -1;
  for (let pos = 0; pos < message.length; ) {
    const lf = message.indexOf(LF, pos);
    if (lf < 0) break;
    if (lf === pos || (lf === pos + 1 && message[pos] === CR)) {
      bodyStart = lf + 1;
      break;
    }
    pos = lf + 1;
  }
  if (bodyStart < 0) return message;
  let end = bodyStart;
  for (let n = 0; n < lines && end < message.length; n++) {
    const lf = message.indexOf(LF, end);
    end = lf < 0 ? message.length : lf + 1;
  }
  return message.subarray(0, end);
}
