// Header-block reading: splits a header region into fields the way Dovecot's header parser does,
// and exposes field values as latin1 byte strings.
//
// Invariants:
// - A field is its first line plus every following line that starts with SP or TAB; the first
//   line of the region starts a field even when it begins with whitespace.
// - The name is the bytes before the first ':' with trailing whitespace removed (obsolete
//   "Subject :" syntax); a line without ':' is a field whose name is the whole line and whose
//   value is empty. Names keep their bytes (8-bit names are possible); compare with `sameName`.
// - An empty line that is not a continuation ends the header; a whitespace-only line after a
//   field is a continuation of it.
// - Values skip the whitespace after ':' (only one byte of it when the first line holds nothing
//   else) and keep their inner line breaks; `unfold` removes them. NUL becomes U+FFFD (as UTF-8
//   bytes) in values, as Dovecot does, so no consumer sees a NUL.

export interface HeaderField {
  /** latin1 field name as written, without the trailing whitespace before ':'. */
  name: string;
  /** Offset of the field's first byte. */
  start: number;
  /** Offset of the value's first byte. */
  valueStart: number;
  /** Offset just past the value (before the field's final line break). */
  valueEnd: number;
  /** Offset just past the field, including its final line break. */
  end: number;
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const TAB = 0x09;
const COLON = 0x3a;

const REPLACEMENT_CHAR = '\xef\xbf\xbd';

/** Reads the fields of the header block in [start, end). */
export function headerFields(raw: Buffer, start: number, end: number): HeaderField[] {
  const fields: HeaderField[] = [];
  let current: HeaderField | null = null;
  let pos = start;
  while (pos < end) {
    const lf = raw.indexOf(LF, pos);
    const hasLf = lf !== -1 && lf < end;
    const next = hasLf ? lf + 1 : end;
    const contentEnd = hasLf ? (lf > pos && raw[lf - 1] === CR ? lf - 1 : lf) : end;
    const first = raw[pos];
    if (current !== null && (first === SP || first === TAB)) {
      current.valueEnd = contentEnd;
      current.end = next;
    } else {
      if (contentEnd === pos) break; // the empty line that ends the header
      current = readFieldLine(raw, pos, contentEnd, next);
      fields.push(current);
    }
    pos = next;
  }
  return fields;
}

function readFieldLine(raw: Buffer, start: number, contentEnd: number, next: number): HeaderField {
  let colon = start;
  while (colon < contentEnd && raw[colon] !== COLON) colon++;
  if (colon === contentEnd) {
    return { name: raw.toString('latin1', start, contentEnd), start, valueStart: contentEnd, valueEnd: contentEnd, end: next };
  }
  let valueStart = colon + 1;
  while (valueStart < contentEnd && (raw[valueStart] === SP || raw[valueStart] === TAB)) valueStart++;
  if (valueStart === contentEnd && contentEnd > colon + 1) valueStart = colon + 2; // all whitespace
  while (colon > start && (raw[colon - 1] === SP || raw[colon - 1] === TAB)) colon--;
  return { name: raw.toString('latin1', start, colon), start, valueStart, valueEnd: contentEnd, end: next };
}

/** Case-insensitive field-name comparison. */
export function sameName(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** The field's value as a latin1 string, inner line breaks kept. */
export function fieldValue(raw: Buffer, field: HeaderField): string {
  const value = raw.toString('latin1', field.valueStart, field.valueEnd);
  return value.includes('\0') ? value.replaceAll('\0', REPLACEMENT_CHAR) : value;
}

/** Values of every field called `name`, in order of appearance. */
export function fieldValues(raw: Buffer, fields: readonly HeaderField[], name: string): string[] {
  return fields.filter((f) => sameName(f.name, name)).map((f) => fieldValue(raw, f));
}

/**
 * Removes the line breaks of a folded value (RFC 5322 §2.2.3). A break not followed by whitespace
 * (only possible in broken input) becomes one space so that words do not merge.
 */
export function unfold(value: string): string {
  if (!value.includes('\n') && !value.includes('\r')) return value;
  return value.replace(/[\r\n]+/g, (run: string, offset: number, whole: string) => {
    const after = whole.charCodeAt(offset + run.length);
    return Number.isNaN(after) || after === SP || after === TAB ? '' : ' ';
  });
}
