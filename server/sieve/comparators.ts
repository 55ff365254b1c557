// Comparators (RFC 4790, RFC 5228 §2.7.3): i;octet, i;ascii-casemap and i;ascii-numeric.
//
// Invariants:
// - `order` is a total order consistent with equality (0 means equal) used by :is and the
//   relational :value operators; `fold`, when present, maps a string to the form substring and
//   wildcard matching compare exactly, and its absence means the comparator cannot do
//   :contains or :matches (i;ascii-numeric, RFC 4790 §9.1).
// - i;octet orders by UTF-8 bytes; i;ascii-casemap folds ASCII letters only.
// - i;ascii-numeric reads the leading digits as an unbounded decimal number; a string that does
//   not start with a digit is positive infinity, equal to every other such string.

export interface Comparator {
  name: string;
  order(a: string, b: string): number;
  fold?(s: string): string;
}

function octetOrder(a: string, b: string): number {
  if (a === b) return 0;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s;
}

export const OCTET: Comparator = { name: 'i;octet', order: octetOrder, fold: (s) => s };

export const ASCII_CASEMAP: Comparator = {
  name: 'i;ascii-casemap',
  order: (a, b) => octetOrder(asciiLower(a), asciiLower(b)),
  fold: asciiLower,
};

function leadingNumber(s: string): string | null {
  const m = /^[0-9]+/.exec(s);
  return m === null ? null : m[0].replace(/^0+(?=.)/, '');
}

export const ASCII_NUMERIC: Comparator = {
  name: 'i;ascii-numeric',
  order(a, b) {
    const x = leadingNumber(a);
    const y = leadingNumber(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  },
};
