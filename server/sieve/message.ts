// What the engine may know about the message and its delivery: a small read-only view that
// delivery implements (from server/mime, see mime-message.ts) and tests fake. Nothing here writes.

/** The message being delivered, as Sieve tests read it. */
export interface SieveMessage {
  /** Raw values of every header field called `name` (case-insensitive), in order, unfolded but
   * not decoded: latin1 byte strings as stored, so address parsing sees the original syntax. */
  headerValues(name: string): string[];
  /** RFC 5228 §5.9: the message size in octets. */
  readonly size: number;
  /** RFC 5173: the parts a body test looks at. */
  bodyParts(): SieveBodyPart[];
  /** RFC 5173 :raw: the undecoded body after the header, as latin1. */
  rawBody(): string;
}

export interface SieveBodyPart {
  /** Lower-case "type/subtype". */
  contentType: string;
  /** Transfer- and charset-decoded text; for parts that are not text (images, ...) the
   * transfer-decoded bytes as latin1. */
  text: string;
}

/** The SMTP envelope (RFC 5228 §5.4): addresses without angle brackets; "" is the null sender. */
export interface SieveEnvelope {
  from: string;
  to: string;
  /** The authenticated sender, when the message came in over an authenticated session. */
  auth?: string;
}

/** Everything a run may consult besides the message. */
export interface SieveEnvironment {
  envelope: SieveEnvelope;
  /** The clock, for currentdate (RFC 5260 §5) and vacation's defaults. */
  now: Date;
  /** RFC 5233: the separator between user and detail, usually "+". */
  subaddressSeparator?: string;
  /** RFC 5490 mailboxexists; absent means "every mailbox exists". */
  mailboxExists?(name: string): boolean;
  /** Local time zone offset in minutes east of UTC for date tests without :zone (default 0). */
  zoneOffsetMinutes?: number;
}
