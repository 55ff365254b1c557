// The value type in which ENVELOPE and BODY/BODYSTRUCTURE are expressed, for a generic IMAP
// encoder to write (RFC 3501 §7.4.2) and for SQLite to cache as JSON.
//
// Invariants:
// - `null` is NIL; a number is written as a number; an array is a parenthesised list.
// - A string is a byte string held as a latin1 JS string: every char code is one byte (0-255).
//   Raw 8-bit header bytes therefore reach the client unchanged, and the encoder decides per
//   string whether it can be a quoted string (7-bit, no CR/LF, few quoted-specials) or must be a
//   literal. Strings are never atoms: "NIL" as a subject is the string "NIL", not NIL.
// - To turn Unicode text into such a string use `Buffer.from(text, 'utf8').toString('latin1')`.

export type ImapValue = string | number | null | ImapValue[];
