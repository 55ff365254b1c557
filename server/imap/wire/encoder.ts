// Response encoder: typed responses (responses.ts) → bytes, CRLF included. The one place that decides
// how a value goes on the wire (RFC 3501 §4): a string is quoted when it is short and plain, and a
// literal when it holds CR, LF, NUL or 8-bit bytes or is long; null is NIL; mailbox names are
// modified UTF-7 astrings.
//
// Invariants: responses are appended to one latin1 string (one byte per character), which becomes a
// Buffer once it holds CHUNK_BYTES, so thousands of FETCH responses cost neither a Buffer per value
// nor a Buffer write per response; a Buffer of more than INLINE_BUFFER_MAX bytes (a message body) is
// never copied but queued as its own chunk, so take() returns the bytes in order as a few Buffers
// ready for one gathered socket write. Text is sanitised (no CR/LF can end a response early). A
// pre-encoded value (encodeImapValue's output, cached by the store: migrations/0003) is written as is.
import { formatImapDateTime } from './date-time.js';
import { encodeMutf7 } from './mutf7.js';
import { byteString } from './responses.js';
import type { Atom, ContextUpdate, FetchResponseItem, ImapResponse, ImapValue, Namespace, ResponseCode, WireValue } from './responses.js';
import { formatSequenceSet } from './sequence-set.js';

/** Strings longer than this go as literals: a quoted string must be scanned and escaped. */
const QUOTED_MAX = 1024;
/**
 * Buffers up to this size are copied into the text; larger ones are queued as their own chunk. Copying
 * a small body is cheaper than a gathered write of three Buffers (bench/imap.ts, 100 × BODY[] of
 * 1–2 KiB: ~15 % faster inline than with a 1 KiB threshold).
 */
const INLINE_BUFFER_MAX = 16 * 1024;
/** The text becomes a Buffer once it is this long (after the response that crossed it). */
const CHUNK_BYTES = 64 * 1024;
const PLAIN = /[\0\r\n"\\\u0080-\uffff]/;
const NEEDS_LITERAL = /[\0\r\n\u0080-\uffff]/;
const NEEDS_ESCAPE = /["\\]/;
const ESCAPES = /["\\]/g;
const LINE_BREAKS = /[\0\r\n]+/g;
/** An astring that may go as an atom (ASTRING-CHARs only, and not the word NIL). */
const ASTRING_ATOM = /^[!#$&'+-[\]-z|}~]+$/;

function astringAtom(text: string): boolean {
  return ASTRING_ATOM.test(text) && text.toUpperCase() !== 'NIL';
}

function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPES, '\\$&')}"` : `"${text}"`;
}

function needsLiteral(bytes: Buffer): boolean {
  if (bytes.length > QUOTED_MAX) return true;
  for (const b of bytes) if (b === 0 || b === 0x0a || b === 0x0d || b >= 0x80) return true;
  return false;
}

/** Human-readable text: one line, UTF-8. */
function cleanText(text: string): string {
  return Buffer.from(text.replace(LINE_BREAKS, ' '), 'utf8').toString('latin1');
}

export class ResponseEncoder {
  /** Responses written and not yet turned into a chunk. */
  private text = '';
  private readonly chunks: Buffer[] = [];
  private chunkBytes = 0;

  /** Bytes written and not yet taken: flush to the socket when this grows large. */
  get pendingBytes(): number {
    return this.chunkBytes + this.text.length;
  }

  write(response: ImapResponse): void {
    this.response(response);
    this.text += '\r\n';
    if (this.text.length >= CHUNK_BYTES) this.flushText();
  }

  /** Everything written so far, in order; the encoder is empty afterwards. */
  take(): Buffer[] {
    this.flushText();
    const chunks = this.chunks.splice(0);
    this.chunkBytes = 0;
    return chunks;
  }

  private flushText(): void {
    if (this.text === '') return;
    this.pushChunk(Buffer.from(this.text, 'latin1'));
    this.text = '';
  }

  private pushChunk(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
  }

  private response(r: ImapResponse): void {
    switch (r.kind) {
      case 'tagged':
        this.text += `${r.tag} ${r.status}`;
        return this.respText(r.code, r.text);
      case 'untagged':
        this.text += `* ${r.status}`;
        return this.respText(r.code, r.text);
      case 'continue':
        this.text += `+ ${cleanText(r.text)}`;
        return;
      case 'capability':
      case 'enabled':
        this.text += `* ${r.kind.toUpperCase()}`;
        for (const capability of r.capabilities) this.text += ` ${capability}`;
        return;
      case 'flags':
        this.text += `* FLAGS (${r.flags.join(' ')})`;
        return;
      case 'exists':
      case 'recent':
      case 'expunge':
        this.text += `* ${r.number} ${r.kind.toUpperCase()}`;
        return;
      case 'fetch':
        return this.fetch(r.seq, r.items);
      case 'search':
        this.text += r.numbers.length > 0 ? `* SEARCH ${r.numbers.join(' ')}` : '* SEARCH';
        if (r.highestModSeq !== undefined) this.text += ` (MODSEQ ${r.highestModSeq})`;
        return;
      case 'esearch':
        this.text += `* ESEARCH (TAG ${stringValue(r.tag)})${r.uid ? ' UID' : ''}`;
        if (r.min !== undefined) this.text += ` MIN ${r.min}`;
        if (r.max !== undefined) this.text += ` MAX ${r.max}`;
        if (r.count !== undefined) this.text += ` COUNT ${r.count}`;
        if (r.partial !== undefined) {
          const { low, high, fromEnd } = r.partial.range;
          const range = fromEnd ? `-${low}:-${high}` : `${low}:${high}`;
          this.text += ` PARTIAL (${range} ${r.partial.numbers.length === 0 ? 'NIL' : formatSequenceSet(r.partial.numbers)})`;
        }
        if (r.all !== undefined && r.all.length > 0) this.text += ` ALL ${formatSequenceSet(r.all)}`;
        if (r.modseq !== undefined) this.text += ` MODSEQ ${r.modseq}`;
        if (r.removeFrom !== undefined && r.removeFrom.length > 0) this.text += ` REMOVEFROM (${contextPairs(r.removeFrom)})`;
        if (r.addTo !== undefined && r.addTo.length > 0) this.text += ` ADDTO (${contextPairs(r.addTo)})`;
        return;
      case 'list':
      case 'lsub':
        this.text += `* ${r.kind.toUpperCase()} (${r.attributes.join(' ')}) `;
        this.text += r.delimiter === null ? 'NIL ' : `${quoted(r.delimiter)} `;
        this.mailbox(r.mailbox);
        if (r.kind === 'list' && r.oldName !== undefined) {
          this.text += ' ("OLDNAME" (';
          this.mailbox(r.oldName);
          this.text += '))';
        }
        return;
      case 'status':
        this.text += '* STATUS ';
        this.mailbox(r.mailbox);
        this.text += ` (${r.items.map(([item, value]) => (typeof value === 'string' ? `${item} (${value})` : `${item} ${value}`)).join(' ')})`;
        return;
      case 'id':
        this.text += '* ID ';
        return this.value(r.params === null ? null : r.params.flat());
      case 'namespace':
        this.text += '* NAMESPACE ';
        this.namespace(r.personal);
        this.text += ' ';
        this.namespace(r.other);
        this.text += ' ';
        return this.namespace(r.shared);
      case 'quota':
        this.text += '* QUOTA ';
        this.astring(r.root);
        this.text += ` (${r.resources.map((q) => `${q.name} ${q.usage} ${q.limit}`).join(' ')})`;
        return;
      case 'quotaroot':
        this.text += '* QUOTAROOT ';
        this.mailbox(r.mailbox);
        for (const root of r.roots) {
          this.text += ' ';
          this.astring(root);
        }
        return;
      case 'vanished':
        this.text += `* VANISHED ${r.earlier ? '(EARLIER) ' : ''}${formatSequenceSet(r.uids)}`;
        return;
      case 'data':
        this.text += '*';
        for (const value of r.values) {
          this.text += ' ';
          this.value(value);
        }
        return;
    }
  }

  // resp-text = ["[" resp-text-code "]" SP] text (RFC 3501 §9; text optional as in RFC 9051)
  private respText(code: ResponseCode | undefined, text: string): void {
    if (code !== undefined) this.text += ` [${responseCode(code)}]`;
    if (text !== '') this.text += ` ${cleanText(text)}`;
  }

  private fetch(seq: number, items: readonly FetchResponseItem[]): void {
    this.text += `* ${seq} FETCH (`;
    for (let i = 0; i < items.length; i++) {
      if (i > 0) this.text += ' ';
      const it = items[i];
      switch (it.item) {
        case 'UID':
        case 'RFC822.SIZE':
          this.text += `${it.item} ${it.value}`;
          break;
        case 'MODSEQ':
          this.text += `MODSEQ (${it.value})`;
          break;
        case 'FLAGS':
          this.text += `FLAGS (${it.flags.join(' ')})`;
          break;
        case 'INTERNALDATE':
          this.text += `INTERNALDATE "${formatImapDateTime(it.date)}"`;
          break;
        case 'ENVELOPE':
        case 'BODY':
        case 'BODYSTRUCTURE':
          this.text += 'encoded' in it ? `${it.item} ${it.encoded}` : `${it.item} ${encodeImapValue(it.value)}`;
          break;
        case 'BODY[section]':
          this.text += it.origin === null ? `BODY[${it.section}] ` : `BODY[${it.section}]<${it.origin}> `;
          this.value(withoutNul(it.data));
          break;
        case 'BINARY[section]':
          this.text += it.origin === null ? `BINARY[${it.section}] ` : `BINARY[${it.section}]<${it.origin}> `;
          // literal8 (RFC 3516 §4.1) only where a literal could not carry the bytes: NUL.
          if (it.data.indexOf(0) !== -1) this.text += '~';
          this.value(it.data);
          break;
        case 'BINARY.SIZE':
          this.text += `BINARY.SIZE[${it.section}] ${it.value}`;
          break;
        case 'PREVIEW':
          this.text += it.text === null ? 'PREVIEW NIL' : `PREVIEW ${stringValue(byteString(it.text))}`;
          break;
        case 'EMAILID':
        case 'THREADID':
          this.text += it.id === null ? `${it.item} NIL` : `${it.item} (${it.id})`;
          break;
        case 'SAVEDATE':
          this.text += it.date === null ? 'SAVEDATE NIL' : `SAVEDATE "${formatImapDateTime(it.date)}"`;
          break;
        default:
          this.text += `${it.item} `;
          this.value(withoutNul(it.data));
      }
    }
    this.text += ')';
  }

  private value(v: WireValue): void {
    if (v === null) this.text += 'NIL';
    else if (typeof v === 'string') this.string(v);
    else if (typeof v === 'number') this.text += v;
    else if (Buffer.isBuffer(v)) this.bytes(v);
    else if (Array.isArray(v)) {
      this.text += '(';
      for (let i = 0; i < v.length; i++) {
        if (i > 0) this.text += ' ';
        this.value(v[i]);
      }
      this.text += ')';
    } else this.text += (v as Atom).atom;
  }

  private string(s: string): void {
    this.text += stringValue(s);
  }

  private bytes(b: Buffer): void {
    if (!needsLiteral(b)) this.text += quoted(b.toString('latin1'));
    else if (b.length <= INLINE_BUFFER_MAX) this.text += `{${b.length}}\r\n${b.toString('latin1')}`;
    else {
      this.text += `{${b.length}}\r\n`;
      this.flushText();
      this.pushChunk(b);
    }
  }

  private astring(s: string): void {
    if (astringAtom(s)) this.text += s;
    else this.string(s);
  }

  /** mailbox = "INBOX" / astring, in modified UTF-7 (RFC 3501 §5.1.3). */
  private mailbox(name: string): void {
    this.astring(encodeMutf7(name));
  }

  private namespace(ns: Namespace): void {
    if (ns === null) {
      this.text += 'NIL';
      return;
    }
    this.text += '(';
    for (const [prefix, delimiter] of ns) {
      this.text += `(${quoted(encodeMutf7(prefix))} ${delimiter === null ? 'NIL' : quoted(delimiter)})`;
    }
    this.text += ')';
  }
}

/**
 * Message bytes with NUL sent as 0x80, as Dovecot does: RFC 3501's literal is CHAR8, which excludes
 * NUL, and clients that read literals as C strings would cut the message there. Copied only if needed.
 */
function withoutNul(v: WireValue): WireValue {
  if (!Buffer.isBuffer(v) || v.indexOf(0) === -1) return v;
  const copy = Buffer.from(v);
  for (let i = copy.indexOf(0); i !== -1; i = copy.indexOf(0, i + 1)) copy[i] = 0x80;
  return copy;
}

/** A byte string as quoted or literal. */
function stringValue(s: string): string {
  if (s.length <= QUOTED_MAX && !PLAIN.test(s)) return `"${s}"`;
  if (s.length > QUOTED_MAX || NEEDS_LITERAL.test(s)) return `{${s.length}}\r\n${s}`;
  return quoted(s);
}

/**
 * The MIME layer's nested values (no Buffers, so no chunks) in wire form, as a latin1 byte string.
 * Deterministic (quoted or literal depends only on each string's bytes), so the store may cache the
 * result (migrations/0003) and FETCH send it as a pre-encoded item.
 */
export function encodeImapValue(v: ImapValue): string {
  if (typeof v === 'string') return stringValue(v);
  if (v === null) return 'NIL';
  if (typeof v === 'number') return String(v);
  let out = '(';
  for (let i = 0; i < v.length; i++) out += i === 0 ? encodeImapValue(v[i]) : ` ${encodeImapValue(v[i])}`;
  return `${out})`;
}

function responseCode(c: ResponseCode): string {
  switch (c.code) {
    case 'UIDVALIDITY':
    case 'UIDNEXT':
    case 'UNSEEN':
    case 'HIGHESTMODSEQ':
      return `${c.code} ${c.value}`;
    case 'MAILBOXID':
      return `MAILBOXID (${c.id})`;
    case 'PERMANENTFLAGS':
      return `PERMANENTFLAGS (${c.flags.join(' ')})`;
    case 'CAPABILITY':
      return ['CAPABILITY', ...c.capabilities].join(' ');
    case 'BADCHARSET':
      return `BADCHARSET (${c.charsets.map((s) => (astringAtom(s) ? s : quoted(s))).join(' ')})`;
    case 'BADEVENT':
      return `BADEVENT (${c.events.join(' ')})`;
    case 'APPENDUID':
      return `APPENDUID ${c.uidValidity} ${formatSequenceSet(c.uids)}`;
    case 'COPYUID':
      return `COPYUID ${c.uidValidity} ${formatSequenceSet(c.sourceUids)} ${formatSequenceSet(c.destinationUids)}`;
    case 'BADURL':
      return `BADURL ${c.url.replace(/[\]\r\n\0]/g, '')}`; // url-resp-text (RFC 4469 §6)
    case 'MODIFIED':
      return `MODIFIED ${formatSequenceSet(c.numbers)}`;
    default:
      return c.code;
  }
}

/** One response as one Buffer (for the odd single response; batches should share an encoder). */
export function encodeResponse(response: ImapResponse): Buffer {
  const encoder = new ResponseEncoder();
  encoder.write(response);
  const chunks = encoder.take();
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
}

function contextPairs(updates: readonly ContextUpdate[]): string {
  return updates.map((u) => `${u.position} ${formatSequenceSet(u.numbers)}`).join(' ');
}
