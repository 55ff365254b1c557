// The typed server responses handlers emit (RFC 3501 §7, and the extensions' responses); the encoder
// is the only code that turns them into bytes.
//
// String convention: fields named `text` and `mailbox` (and namespace prefixes) are Unicode — the
// encoder sends text as UTF-8 and mailbox names in modified UTF-7. Every other string is a latin1
// "byte string" (one character per byte, as the MIME layer hands ENVELOPE and BODYSTRUCTURE out) or
// a Buffer; wrap Unicode with byteString() before putting it there.

/** The STATUS items (RFC 3501 §6.3.10, RFC 7162, RFC 8438) the grammar reads and the encoder answers. */
export type StatusItem = 'MESSAGES' | 'RECENT' | 'UIDNEXT' | 'UIDVALIDITY' | 'UNSEEN' | 'HIGHESTMODSEQ' | 'SIZE' | 'MAILBOXID' | 'DELETED';

/**
 * A PARTIAL range (RFC 9394 §3.1), read by the SEARCH/SORT/FETCH grammar and echoed in ESEARCH: positions
 * `low` to `high` (1-based, low ≤ high) of a result, counted from its first message, or from its last
 * when `fromEnd` (-1 is the last).
 */
export interface PartialRange {
  readonly low: number;
  readonly high: number;
  readonly fromEnd: boolean;
}

/** Nested data the MIME layer produces: strings (byte strings) → quoted/literal, arrays → lists, null → NIL. */
export type ImapValue = string | number | null | ImapValue[];

/** An atom written as is (flags, keywords, item names): the caller guarantees it is a valid atom. */
export interface Atom {
  readonly atom: string;
}

/** Anything the encoder can write as one IMAP data item. */
export type WireValue = string | number | null | Buffer | Atom | readonly WireValue[];

export type SimpleResponseCode =
  | 'ALERT'
  | 'PARSE'
  | 'READ-ONLY'
  | 'READ-WRITE'
  | 'TRYCREATE'
  | 'TOOBIG'
  | 'NOMODSEQ'
  | 'UIDNOTSTICKY'
  | 'CLOSED'
  | 'UNAVAILABLE'
  | 'AUTHENTICATIONFAILED'
  | 'AUTHORIZATIONFAILED'
  | 'EXPIRED'
  | 'PRIVACYREQUIRED'
  | 'CONTACTADMIN'
  | 'NOPERM'
  | 'INUSE'
  | 'EXPUNGEISSUED'
  | 'CORRUPTION'
  | 'SERVERBUG'
  | 'CLIENTBUG'
  | 'CANNOT'
  | 'LIMIT'
  | 'OVERQUOTA'
  | 'ALREADYEXISTS'
  | 'NONEXISTENT'
  | 'HASCHILDREN'
  | 'USEATTR'
  /** RFC 3516 §4.3: a part's Content-Transfer-Encoding cannot be undone. */
  | 'UNKNOWN-CTE'
  /** RFC 4978 §3: compression is on already. */
  | 'COMPRESSIONACTIVE';

/** resp-text-code (RFC 3501 §7.1, RFC 4315, RFC 5530, RFC 7162, RFC 6154, RFC 9051). */
export type ResponseCode =
  | { readonly code: SimpleResponseCode }
  | { readonly code: 'UIDVALIDITY' | 'UIDNEXT' | 'UNSEEN' | 'HIGHESTMODSEQ'; readonly value: number }
  | { readonly code: 'PERMANENTFLAGS'; readonly flags: readonly string[] }
  | { readonly code: 'CAPABILITY'; readonly capabilities: readonly string[] }
  | { readonly code: 'BADCHARSET'; readonly charsets: readonly string[] }
  /** NOTIFY's unsupported-events-code (RFC 5465 §8): the events the server supports. */
  | { readonly code: 'BADEVENT'; readonly events: readonly string[] }
  /** The appended messages' UIDs, in the order sent (one, or several for MULTIAPPEND: RFC 4315 §3). */
  | { readonly code: 'APPENDUID'; readonly uidValidity: number; readonly uids: readonly number[] }
  /** Source and destination UIDs pairwise, in the same order (RFC 4315 §3). */
  | {
      readonly code: 'COPYUID';
      readonly uidValidity: number;
      readonly sourceUids: readonly number[];
      readonly destinationUids: readonly number[];
    }
  /** The CATENATE URL that could not be used (RFC 4469 §6). */
  | { readonly code: 'BADURL'; readonly url: string }
  /** Messages a conditional STORE left alone (RFC 7162 §3.1.3). */
  | { readonly code: 'MODIFIED'; readonly numbers: readonly number[] }
  /** The mailbox's objectid (RFC 8474 §4), after SELECT/EXAMINE and CREATE. */
  | { readonly code: 'MAILBOXID'; readonly id: string };

/** A FETCH response item (RFC 3501 §7.4.2, RFC 7162 §3.1.4.1). */
export type FetchResponseItem =
  | { readonly item: 'UID' | 'RFC822.SIZE' | 'MODSEQ'; readonly value: number }
  | { readonly item: 'FLAGS'; readonly flags: readonly string[] }
  /** A Date or milliseconds since the epoch; written in UTC. */
  | { readonly item: 'INTERNALDATE'; readonly date: Date | number }
  | { readonly item: 'ENVELOPE' | 'BODY' | 'BODYSTRUCTURE'; readonly value: ImapValue }
  /** The same already in wire form: encodeImapValue's output (the store's cached ENVELOPE, migrations/0003). */
  | { readonly item: 'ENVELOPE' | 'BODY' | 'BODYSTRUCTURE'; readonly encoded: string }
  | { readonly item: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT'; readonly data: Buffer | string | null }
  /** `section` as sectionSpec() gives it; `origin` is the partial start (`<origin>`), or null. */
  | {
      readonly item: 'BODY[section]';
      readonly section: string;
      readonly origin: number | null;
      readonly data: Buffer | string | null;
    }
  /** BINARY[part]<origin> (RFC 3516 §4.1): sent as literal8 when it holds NUL. */
  | { readonly item: 'BINARY[section]'; readonly section: string; readonly origin: number | null; readonly data: Buffer }
  | { readonly item: 'BINARY.SIZE'; readonly section: string; readonly value: number }
  /** RFC 8970 §3: the preview text (Unicode), or null for none. */
  | { readonly item: 'PREVIEW'; readonly text: string | null }
  /** RFC 8474 §5: an objectid, or null (THREADID NIL). */
  | { readonly item: 'EMAILID' | 'THREADID'; readonly id: string | null }
  /** RFC 8514 §4.1: milliseconds since the epoch (written in UTC), or null (NIL: not known). */
  | { readonly item: 'SAVEDATE'; readonly date: number | null };

/** One `context-position SP sequence-set` pair of REMOVEFROM/ADDTO (RFC 5267 §4.3); 0 when unordered. */
export interface ContextUpdate {
  readonly position: number;
  readonly numbers: readonly number[];
}

export type ImapResponse =
  | {
      readonly kind: 'tagged';
      readonly tag: string;
      readonly status: 'OK' | 'NO' | 'BAD';
      readonly code?: ResponseCode;
      readonly text: string;
    }
  /** `* OK|NO|BAD|PREAUTH|BYE [code] text` */
  | {
      readonly kind: 'untagged';
      readonly status: 'OK' | 'NO' | 'BAD' | 'PREAUTH' | 'BYE';
      readonly code?: ResponseCode;
      readonly text: string;
    }
  /** `+ text` (for SASL, `text` is the base64 challenge, possibly empty). */
  | { readonly kind: 'continue'; readonly text: string }
  | { readonly kind: 'capability' | 'enabled'; readonly capabilities: readonly string[] }
  | { readonly kind: 'flags'; readonly flags: readonly string[] }
  | { readonly kind: 'exists' | 'recent' | 'expunge'; readonly number: number }
  | { readonly kind: 'fetch'; readonly seq: number; readonly items: readonly FetchResponseItem[] }
  | { readonly kind: 'search'; readonly numbers: readonly number[]; readonly highestModSeq?: number }
  /** `* ESEARCH (TAG "t") [UID] MIN n MAX n COUNT n ALL set MODSEQ n` (RFC 4731 §3.1, RFC 7162 §3.1.5); absent items are left out. */
  | {
      readonly kind: 'esearch';
      readonly tag: string;
      readonly uid: boolean;
      readonly min?: number;
      readonly max?: number;
      readonly count?: number;
      /** Ascending numbers, sent as a compact sequence set. */
      readonly all?: readonly number[];
      /** PARTIAL (RFC 9394 §3.1): the range asked for and the numbers at its positions, in reporting order. */
      readonly partial?: { readonly range: PartialRange; readonly numbers: readonly number[] };
      readonly modseq?: number;
      /** CONTEXT=SEARCH/SORT updates (RFC 5267 §4.3): messages that left / joined the result, with positions. */
      readonly removeFrom?: readonly ContextUpdate[];
      readonly addTo?: readonly ContextUpdate[];
    }
  | {
      readonly kind: 'list' | 'lsub';
      readonly attributes: readonly string[];
      readonly delimiter: string | null;
      readonly mailbox: string;
      /** NOTIFY's MailboxName for a rename (RFC 5465 §5.4): the OLDNAME extended item (RFC 5258 §3). */
      readonly oldName?: string;
    }
  /** A string value is MAILBOXID's objectid (RFC 8474 §4), sent in parentheses. */
  | { readonly kind: 'status'; readonly mailbox: string; readonly items: ReadonlyArray<readonly [StatusItem, number | string]> }
  | { readonly kind: 'id'; readonly params: ReadonlyArray<readonly [string, string | null]> | null }
  | {
      readonly kind: 'namespace';
      readonly personal: Namespace;
      readonly other: Namespace;
      readonly shared: Namespace;
    }
  | {
      readonly kind: 'quota';
      readonly root: string;
      readonly resources: ReadonlyArray<{ readonly name: string; readonly usage: number; readonly limit: number }>;
    }
  | { readonly kind: 'quotaroot'; readonly mailbox: string; readonly roots: readonly string[] }
  /** RFC 7162 §3.2.10; `earlier` for the FETCH VANISHED / SELECT QRESYNC form. */
  | { readonly kind: 'vanished'; readonly earlier: boolean; readonly uids: readonly number[] }
  /** Any other untagged data: `*` and the values separated by spaces. */
  | { readonly kind: 'data'; readonly values: readonly WireValue[] };

/** One NAMESPACE class (RFC 2342 §5): [prefix, delimiter] pairs, or null for none. */
export type Namespace = ReadonlyArray<readonly [prefix: string, delimiter: string | null]> | null;

export function atom(text: string): Atom {
  return { atom: text };
}

/** Unicode → a byte string of its UTF-8 bytes, for the byte-string fields. */
export function byteString(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
