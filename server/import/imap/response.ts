// Server responses as the IMAP import reads them (RFC 3501 §7, §9): a framed response (the same
// ImapFramer that frames our server's requests: lines and the literals they announce) becomes a
// status response (tagged or untagged OK/NO/BAD/BYE/PREAUTH with its response code), a continuation,
// or untagged data as a list of generic values — atoms, strings (quoted or literal, as bytes), NIL and
// parenthesised lists — which the caller interprets (FETCH, LIST, EXISTS, NAMESPACE ...).
// Invariant: status text is never parsed as values (it is free text, parentheses need not balance).
import type { ImapRequest } from '../../imap/wire/framer.js';
import { Reader } from '../../imap/wire/tokens.js';

export type Value = string | Buffer | null | Value[];

export type Response =
  | { kind: 'status'; tag: string; status: 'OK' | 'NO' | 'BAD' | 'BYE' | 'PREAUTH'; code?: string; codeArgs?: string; text: string }
  | { kind: 'continue'; text: string }
  /** `* [number] NAME values...` (`name` upper-cased). */
  | { kind: 'data'; name: string; number?: number; values: Value[] };

const STATUS = /^(\S+) (OK|NO|BAD|BYE|PREAUTH)(?: (?:\[([^\] ]+)(?: ([^\]]*))?\] ?)?(.*))?$/i;

/** Bytes of an atom as servers send them in data: anything but SP, controls, parentheses and quotes. */
const atomChar = (b: number) => b > 0x20 && b !== 0x7f && b !== 0x28 && b !== 0x29 && b !== 0x22;

function value(r: Reader): Value {
  const c = r.peek();
  if (c === 0x28) return r.list('list', () => value(r), true);
  if (c === 0x22 || c === 0x7b) return r.stringBytes('string');
  const word = r.chars(atomChar, 'atom');
  return word.toUpperCase() === 'NIL' ? null : word;
}

export function parseResponse(response: ImapRequest): Response {
  const first = response.lines[0]?.toString('latin1') ?? '';
  if (first.startsWith('+')) return { kind: 'continue', text: first.slice(1).trim() };
  const status = STATUS.exec(first);
  if (status && response.literals.length === 0) {
    return {
      kind: 'status',
      tag: status[1],
      status: status[2].toUpperCase() as 'OK',
      ...(status[3] !== undefined ? { code: status[3].toUpperCase(), codeArgs: status[4] ?? '' } : {}),
      text: status[5] ?? '',
    };
  }
  const r = new Reader(response);
  r.expect(0x2a, '*');
  r.sp('response');
  let number: number | undefined;
  if (r.peek() >= 0x30 && r.peek() <= 0x39) {
    number = r.number('number');
    r.sp('response name');
  }
  const name = r.chars(atomChar, 'response name').toUpperCase();
  const values: Value[] = [];
  while (!r.atEnd()) {
    r.sp('value');
    if (r.atEnd()) break; // a trailing space, as some servers send
    values.push(value(r));
  }
  return { kind: 'data', name, ...(number !== undefined ? { number } : {}), values };
}

/** A value as text (atoms and strings; NIL and lists as undefined). */
export function text(v: Value | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return undefined;
}

/** A FETCH response's `(KEY value KEY value ...)` as a map with upper-case keys. */
export function fetchItems(values: Value[]): Map<string, Value> {
  const items = new Map<string, Value>();
  const list = values[0];
  if (!Array.isArray(list)) return items;
  for (let i = 0; i + 1 < list.length; i += 2) {
    const key = text(list[i]);
    if (key !== undefined) items.set(key.toUpperCase(), list[i + 1]);
  }
  return items;
}

/** A string argument for a command: quoted when it can be, else undefined (send it as a literal). */
export function quoted(s: string): string | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d || c > 0x7f) return undefined;
  }
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
