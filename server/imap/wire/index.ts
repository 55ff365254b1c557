// The IMAP wire layer for the session: framing (bytes → requests), parsing (request → typed command),
// encoding (typed response → bytes), and the value helpers commands need (sequence sets, mailbox-name
// encoding, dates). Pure: no sockets, no store.
export { ImapFramer, DEFAULT_FRAMER_LIMITS } from './framer.js';
export type { FramerEvent, FramerLimits, ImapRequest, RejectReason } from './framer.js';
export { ImapParseError } from './errors.js';
export { parseCommand } from './parser.js';
export type { CommandArgsMap, CommandName, ImapCommand } from './parser.js';
export { isIdleDone, parseSaslResponse } from './grammar/auth.js';
export type { AuthenticateArgs, LoginArgs } from './grammar/auth.js';
export type { AppendArgs, AppendMessage, CatenatePart } from './grammar/append.js';
export type { ImapUrl } from './grammar/imap-url.js';
export { parseAuthorizedUrl } from './grammar/urlauth.js';
export type { NotifyArgs, NotifyFilter, NotifyGroup } from './grammar/notify.js';
export type { AuthorizedUrl, GenUrlauthArgs, ResetKeyArgs, UrlAccess, UrlfetchArgs } from './grammar/urlauth.js';
export type { CopyArgs } from './grammar/copy.js';
export type { AclArgs } from './grammar/acl.js';
export { sectionSpec } from './grammar/fetch.js';
export type { BodySection, FetchArgs, FetchAttribute, SimpleFetchItem } from './grammar/fetch.js';
export { canonicalFlag, SYSTEM_FLAGS } from './grammar/flags.js';
export type { ListArgs, ListReturn, ListSelection, LsubArgs } from './grammar/list.js';
export type { MailboxArgs, QresyncParams, RenameArgs, SelectArgs, StatusArgs, StatusItem } from './grammar/mailbox.js';
export type { CancelUpdateArgs, EnableArgs, GetQuotaArgs, IdArgs } from './grammar/misc.js';
export { SEARCH_CHARSETS } from './grammar/search.js';
export type { DateComparison, SearchArgs, SearchKey, SearchProgram, SearchReturnOption } from './grammar/search.js';
export type { ExpungeArgs, NoArgs } from './grammar/simple.js';
export type { SortArgs, SortCriterion, SortKey, ThreadAlgorithm, ThreadArgs } from './grammar/sort.js';
export type { StoreArgs } from './grammar/store.js';
export { ResponseEncoder, encodeImapValue, encodeResponse } from './encoder.js';
export { atom, byteString } from './responses.js';
export type {
  Atom,
  ContextUpdate,
  FetchResponseItem,
  ImapResponse,
  ImapValue,
  Namespace,
  PartialRange,
  ResponseCode,
  SimpleResponseCode,
  WireValue,
} from './responses.js';
export {
  formatSequenceSet,
  parseSequenceSet,
  resolveSequenceSet,
  positionOf,
  resolveUidSet,
  SAVED_RESULT,
  sequenceSetMatcher,
  sequenceSetMax,
} from './sequence-set.js';
export type { SeqNumber, SeqRange, SeqRanges, SequenceSet } from './sequence-set.js';
export { decodeMutf7, encodeMutf7, normalizeMailboxName, UNDECODABLE_NAME } from './mutf7.js';
export { formatImapDateTime, parseImapDate, parseImapDateTime } from './date-time.js';
