// The Sendmail milter protocol, version 6 (libmilter's mfdef.h, as Postfix's milter8.c speaks it):
// packet codes, option-negotiation bits and limits, named once. Nothing here does I/O.
//
// Wire format: every packet is a 4-byte big-endian length (which counts the code byte and the data),
// one code byte, then data. Strings are NUL-terminated; numbers are big-endian (32-bit, or 16-bit for
// the CONNECT port).

/** The protocol version we offer; a milter may answer with a lower one (2..6). */
export const MILTER_VERSION = 6;
export const MIN_MILTER_VERSION = 2;

/** libmilter's MILTER_CHUNK_SIZE: the largest SMFIC_BODY chunk a milter is guaranteed to accept. */
export const MAX_BODY_CHUNK = 65535;

/** Commands, MTA → milter (SMFIC_*). */
export const Command = {
  abort: 'A',
  body: 'B',
  connect: 'C',
  macro: 'D',
  endOfMessage: 'E',
  helo: 'H',
  quitNewConnection: 'K',
  header: 'L',
  mail: 'M',
  endOfHeaders: 'N',
  optionNegotiation: 'O',
  quit: 'Q',
  rcpt: 'R',
  data: 'T',
  unknown: 'U',
} as const;
export type CommandCode = (typeof Command)[keyof typeof Command];

/** Replies, milter → MTA (SMFIR_*). SMFIC_OPTNEG doubles as the negotiation reply. */
export const Reply = {
  addRecipient: '+',
  deleteRecipient: '-',
  addRecipientWithArgs: '2',
  shutdown: '4',
  accept: 'a',
  replaceBody: 'b',
  continue: 'c',
  discard: 'd',
  changeFrom: 'e',
  connectionFailure: 'f',
  addHeader: 'h',
  insertHeader: 'i',
  setSymbolList: 'l',
  changeHeader: 'm',
  progress: 'p',
  quarantine: 'q',
  reject: 'r',
  skip: 's',
  tempfail: 't',
  replyCode: 'y',
  optionNegotiation: 'O',
} as const;

/** Actions the milter may take at end of message (SMFIF_*), negotiated in SMFIC_OPTNEG. */
export const Action = {
  addHeaders: 0x01,
  changeBody: 0x02,
  addRecipients: 0x04,
  deleteRecipients: 0x08,
  changeHeaders: 0x10,
  quarantine: 0x20,
  changeFrom: 0x40,
  addRecipientsWithArgs: 0x80,
  setSymbolList: 0x100,
} as const;
/** We can carry out every action, as Postfix does. */
export const ALL_ACTIONS = 0x1ff;

/** Protocol flags (SMFIP_*): events the milter does not want, replies it will not send. */
export const Protocol = {
  noConnect: 1 << 0,
  noHelo: 1 << 1,
  noMail: 1 << 2,
  noRcpt: 1 << 3,
  noBody: 1 << 4,
  noHeaders: 1 << 5,
  noEndOfHeaders: 1 << 6,
  noReplyHeader: 1 << 7,
  noUnknown: 1 << 8,
  noData: 1 << 9,
  /** The MTA understands SMFIR_SKIP. */
  skip: 1 << 10,
  /** The milter wants rejected recipients too; we do not offer it. */
  rejectedRecipients: 1 << 11,
  noReplyConnect: 1 << 12,
  noReplyHelo: 1 << 13,
  noReplyMail: 1 << 14,
  noReplyRcpt: 1 << 15,
  noReplyData: 1 << 16,
  noReplyUnknown: 1 << 17,
  noReplyEndOfHeaders: 1 << 18,
  noReplyBody: 1 << 19,
  /** Header values are sent and received with their leading space. */
  headerLeadingSpace: 1 << 20,
} as const;

/** Every flag we offer: all of version 6 except SMFIP_RCPT_REJ (we never show rejected recipients). */
export const OFFERED_PROTOCOL = 0x1fffff & ~Protocol.rejectedRecipients;

/** The stages a milter may ask macros for with SMFIR_SETSYMLIST (SMFIM_*), by their wire number. */
export const MACRO_STAGES = ['connect', 'helo', 'mail', 'rcpt', 'data', 'eom', 'eoh'] as const;
export type MacroStage = (typeof MACRO_STAGES)[number];

/** SMFIA_*: the address family byte of SMFIC_CONNECT. */
export const Family = { unknown: 'U', unix: 'L', inet: '4', inet6: '6' } as const;
export type ClientFamily = keyof typeof Family;
