// The MIME part tree of one message with byte offsets, built in a single pass over the (CRLF
// normalized) stored bytes. It is cached as JSON in SQLite, so it holds offsets and a few parsed
// fields only; headers are re-read from the bytes when ENVELOPE/BODYSTRUCTURE are computed.
//
// How broken input is read (Dovecot 2.3's lib-mail rules; clients are written against them):
// - Headers end at the first empty line, at the end of the data, or at a line that is a boundary
//   of an enclosing multipart. The line break before a boundary line belongs to the boundary: when
//   a header or body is cut by one, that break (even the header's empty line) is not part of it.
// - A line is a boundary line when it starts with "--" + a boundary of an open multipart (prefix
//   match, so trailing garbage and padding are allowed). Among matches the longest boundary wins,
//   innermost first on ties; "--" right after the boundary closes it. A boundary closes every
//   multipart opened inside its own, terminated or not. Boundaries are cut to 80 characters.
// - A multipart's boundary becomes active only when its header ends with an empty line; before
//   that (or with no boundary parameter) the multipart has no children.
// - The first Content-Type wins. A part without one is text/plain, or message/rfc822 directly
//   inside multipart/digest. message/rfc822 always holds one child message parsed from its body
//   bytes, whatever its Content-Transfer-Encoding (base64 gives a child of header-looking noise).
// - Nesting is limited to MAX_NESTING levels (deeper multiparts and messages become leaves) and
//   boundaries stop being recognised after MAX_PARTS parts, so hostile input costs linear time.
//
// Invariants of the result, for every part p:
//   p.headerStart <= p.headerEnd == p.bodyStart <= p.bodyEnd, within [0, size];
//   children lie inside their parent's body, in order and without overlap;
//   kind 'message' has exactly one child (the encapsulated message), kind 'multipart' zero or more,
//   other kinds none.

import { headerFields, fieldValue } from './header.js';
import { boundaryOf, parseContentType, type ContentType } from './params.js';

/** Structural role, which decides how the body was parsed (not necessarily the declared type). */
export type PartKind = 'multipart' | 'message' | 'text' | 'basic';

export interface MimePart {
  headerStart: number;
  /** Just past the header, including its empty line when it has one. */
  headerEnd: number;
  /** Always equal to headerEnd. */
  bodyStart: number;
  bodyEnd: number;
  kind: PartKind;
  /** Lower-case "type/subtype" in effect; "" when the Content-Type is broken. */
  type: string;
  /** Children of a multipart, or the one encapsulated message of a message/rfc822. */
  parts?: MimePart[];
}

export interface ParsedMessage {
  /** Bumped whenever parsing changes, so cached trees can be recomputed. */
  version: number;
  /** Length of the bytes parsed (RFC822.SIZE). */
  size: number;
  root: MimePart;
}

export const PARSE_VERSION = 1;
/** Dovecot's max_nested_mime_parts. */
export const MAX_NESTING = 100;
/** Dovecot's max_total_mime_parts. */
export const MAX_PARTS = 10_000;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const TAB = 0x09;
const DASH = 0x2d;
const NL_DASH_DASH = Buffer.from('\n--', 'latin1');
/** How much of an unterminated last line is compared against boundaries. */
const BOUNDARY_LINE_MAX = 80 + 4;

interface Node {
  part: MimePart;
  parent: Node | null;
  depth: number;
  /** multipart/digest: children without Content-Type are message/rfc822. */
  digest: boolean;
}

interface Boundary {
  node: Node;
  text: Buffer;
}

type Step =
  | { t: 'header'; node: Node }
  | { t: 'scan'; node: Node; from: number }
  | { t: 'boundary'; node: Node; boundary: Boundary; line: number; contentEnd: number }
  | { t: 'eof'; node: Node };

function startsWithName(raw: Buffer, start: number, end: number, lowerName: string): boolean {
  if (end - start <= lowerName.length) return false;
  for (let i = 0; i < lowerName.length; i++) {
    const c = raw[start + i];
    if ((c >= 0x41 && c <= 0x5a ? c + 0x20 : c) !== lowerName.charCodeAt(i)) return false;
  }
  let i = start + lowerName.length;
  while (i < end && (raw[i] === SP || raw[i] === TAB)) i++;
  return raw[i] === 0x3a;
}

class TreeParser {
  private readonly len: number;
  private boundaries: Boundary[] = [];
  /** Parts created so far, the root included (as Dovecot counts them). */
  private partCount = 1;

  constructor(private readonly raw: Buffer) {
    this.len = raw.length;
  }

  run(): MimePart {
    const root = this.newNode(null, 0);
    let step: Step | null = { t: 'header', node: root };
    while (step !== null) {
      switch (step.t) {
        case 'header':
          step = this.header(step.node);
          break;
        case 'scan':
          step = this.scan(step.node, step.from);
          break;
        case 'boundary':
          step = this.boundary(step.node, step.boundary, step.line, step.contentEnd);
          break;
        case 'eof':
          for (let n: Node | null = step.node; n !== null; n = n.parent) {
            if (n.part.bodyEnd < 0) n.part.bodyEnd = this.len;
          }
          step = null;
          break;
      }
    }
    return root.part;
  }

  private newNode(parent: Node | null, headerStart: number): Node {
    const part: MimePart = { headerStart, headerEnd: -1, bodyStart: -1, bodyEnd: -1, kind: 'text', type: 'text/plain' };
    if (parent !== null) {
      (parent.part.parts ??= []).push(part);
      this.partCount++;
    }
    return { part, parent, depth: parent === null ? 0 : parent.depth + 1, digest: false };
  }

  /** The boundary whose delimiter line starts at `line`, or null. */
  private matchBoundary(line: number): Boundary | null {
    const raw = this.raw;
    if (this.boundaries.length === 0 || this.partCount >= MAX_PARTS) return null;
    if (line + 1 >= this.len || raw[line] !== DASH || raw[line + 1] !== DASH) return null;
    const data = line + 2;
    const lf = raw.indexOf(LF, data);
    let size: number;
    let trailingDashes = false;
    if (lf === -1) {
      size = Math.min(this.len - data, BOUNDARY_LINE_MAX);
    } else {
      size = lf - data;
      if (size > 0 && raw[lf - 1] === CR) size--;
      trailingDashes = size > 2 && raw[data + size - 1] === DASH && raw[data + size - 2] === DASH;
    }
    let best: Boundary | null = null;
    for (let i = this.boundaries.length - 1; i >= 0; i--) {
      const b = this.boundaries[i];
      const n = b.text.length;
      if (n <= size && (best === null || best.text.length < n) && raw.compare(b.text, 0, n, data, data + n) === 0) {
        best = b;
        if (n === size || (trailingDashes && n === size - 2)) break; // exact: nothing can be better
      }
    }
    return best;
  }

  private isCloseDelimiter(b: Boundary, line: number): boolean {
    const at = line + 2 + b.text.length;
    return at + 1 < this.len && this.raw[at] === DASH && this.raw[at + 1] === DASH;
  }

  /** Reads node's header, then decides how its body is parsed. */
  private header(node: Node): Step {
    const raw = this.raw;
    const len = this.len;
    const part = node.part;
    let contentType: ContentType | null = null;
    let fieldStart = -1;
    let fieldEnd = -1;
    let prevNewline = 0;
    let pos = part.headerStart;

    const completeField = (): void => {
      if (fieldStart < 0) return;
      if (contentType === null && startsWithName(raw, fieldStart, fieldEnd, 'content-type')) {
        const [field] = headerFields(raw, fieldStart, fieldEnd);
        contentType = parseContentType(fieldValue(raw, field));
      }
      fieldStart = -1;
    };

    for (;;) {
      const cut = this.matchBoundary(pos);
      if (cut !== null && cut.node !== node) {
        completeField();
        this.decideKind(node, contentType, false);
        return this.cutHeader(node, cut, pos, pos - prevNewline);
      }
      if (pos >= len) {
        completeField();
        part.headerEnd = part.bodyStart = len;
        this.decideKind(node, contentType, false);
        return this.enterBody(node, len);
      }
      const lf = raw.indexOf(LF, pos);
      const next = lf === -1 ? len : lf + 1;
      const contentEnd = lf === -1 ? len : lf > pos && raw[lf - 1] === CR ? lf - 1 : lf;
      const first = raw[pos];
      if (fieldStart >= 0 && (first === SP || first === TAB)) {
        fieldEnd = next;
      } else {
        completeField();
        if (contentEnd === pos) {
          // The empty line: the header ends here.
          const pushed = this.decideKind(node, contentType, true);
          part.headerEnd = part.bodyStart = next;
          // A boundary right after the empty line takes the line break for itself, unless it is
          // this multipart's own first delimiter (an empty preamble).
          const cutAfter = this.matchBoundary(next);
          if (cutAfter !== null && cutAfter.node !== node) return this.cutHeader(node, cutAfter, next, pos);
          return pushed ? { t: 'scan', node, from: next } : this.enterBody(node, next);
        }
        fieldStart = pos;
        fieldEnd = next;
      }
      prevNewline = next - contentEnd;
      pos = next;
    }
  }

  /** The header of `node` (kind decided) was cut at `end` by a boundary line at `line`. */
  private cutHeader(node: Node, b: Boundary, line: number, end: number): Step {
    const part = node.part;
    part.headerEnd = part.bodyStart = part.bodyEnd = end;
    let innermost = node;
    if (part.kind === 'message') {
      innermost = this.newNode(node, end);
      innermost.part.headerEnd = innermost.part.bodyStart = innermost.part.bodyEnd = end;
    }
    return { t: 'boundary', node: innermost, boundary: b, line, contentEnd: end };
  }

  /**
   * Sets kind and type from the header. With `atEmptyLine`, a multipart's boundary is activated;
   * returns whether it was.
   */
  private decideKind(node: Node, ct: ContentType | null, atEmptyLine: boolean): boolean {
    const part = node.part;
    const roomToNest = node.depth + 1 < MAX_NESTING;
    if (ct === null) {
      const digestChild = node.parent?.digest === true;
      part.type = digestChild ? 'message/rfc822' : 'text/plain';
      part.kind = digestChild ? (roomToNest ? 'message' : 'basic') : 'text';
      return false;
    }
    const type = ct.type.toLowerCase();
    const subtype = ct.subtype.toLowerCase();
    part.type = type === '' ? '' : `${type}/${subtype}`;
    if (type === 'multipart') {
      part.kind = roomToNest ? 'multipart' : 'basic';
      node.digest = subtype === 'digest';
      const boundary = boundaryOf(ct);
      if (atEmptyLine && roomToNest && boundary !== null) {
        this.boundaries.push({ node, text: Buffer.from(boundary, 'latin1') });
        return true;
      }
    } else if (part.type === 'message/rfc822') {
      part.kind = roomToNest ? 'message' : 'basic';
    } else {
      part.kind = type === 'text' ? 'text' : 'basic';
    }
    return false;
  }

  /** Starts parsing node's body at `from` (its header is complete). */
  private enterBody(node: Node, from: number): Step {
    if (node.part.kind === 'message') return { t: 'header', node: this.newNode(node, from) };
    if (this.boundaries.length > 0 && from < this.len) return { t: 'scan', node, from };
    return { t: 'eof', node };
  }

  /** Looks for the next boundary line from `from`, which starts a line owned by node's body. */
  private scan(node: Node, from: number): Step {
    const raw = this.raw;
    const first = this.matchBoundary(from);
    if (first !== null) return { t: 'boundary', node, boundary: first, line: from, contentEnd: from };
    for (let i = raw.indexOf(NL_DASH_DASH, from); i !== -1; i = raw.indexOf(NL_DASH_DASH, i + 1)) {
      const b = this.matchBoundary(i + 1);
      if (b !== null) {
        const contentEnd = i > from && raw[i - 1] === CR ? i - 1 : i;
        return { t: 'boundary', node, boundary: b, line: i + 1, contentEnd };
      }
    }
    return { t: 'eof', node };
  }

  /** A boundary line at `line` ends everything open inside b's multipart at `contentEnd`. */
  private boundary(innermost: Node, b: Boundary, line: number, contentEnd: number): Step {
    for (let n = innermost; n !== b.node; n = n.parent as Node) n.part.bodyEnd = contentEnd;
    const index = this.boundaries.indexOf(b);
    const close = this.isCloseDelimiter(b, line);
    this.boundaries.length = close ? index : index + 1;

    const lf = this.raw.indexOf(LF, line);
    if (lf === -1) return { t: 'eof', node: b.node };
    if (!close) return { t: 'header', node: this.newNode(b.node, lf + 1) };
    return this.boundaries.length > 0 ? { t: 'scan', node: b.node, from: lf + 1 } : { t: 'eof', node: b.node };
  }
}

/** Parses CRLF-normalized message bytes (see toCrlf) into a part tree. */
export function parseMessage(raw: Buffer): ParsedMessage {
  return { version: PARSE_VERSION, size: raw.length, root: new TreeParser(raw).run() };
}
