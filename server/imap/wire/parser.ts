// Request → typed command: reads `tag SP [UID SP] name`, hands the rest to the command's grammar
// function and checks that nothing is left over.
//
// Invariants: every command the server accepts is a key of CommandArgsMap and has exactly one grammar
// function; an ImapParseError leaving here carries the tag whenever the tag could be read.
import { ImapParseError, shown } from './errors.js';
import type { ImapRequest } from './framer.js';
import { Reader } from './tokens.js';
import { parseAppend, type AppendArgs } from './grammar/append.js';
import { parseMailboxIdentifier, parseSetAcl, type AclArgs } from './grammar/acl.js';
import { parseAuthenticate, parseLogin, type AuthenticateArgs, type LoginArgs } from './grammar/auth.js';
import { parseCopy, type CopyArgs } from './grammar/copy.js';
import { parseFetch, type FetchArgs } from './grammar/fetch.js';
import { parseList, parseLsub, type ListArgs, type LsubArgs } from './grammar/list.js';
import {
  parseMailbox,
  parseRename,
  parseSelect,
  parseStatus,
  type MailboxArgs,
  type RenameArgs,
  type SelectArgs,
  type StatusArgs,
} from './grammar/mailbox.js';
import {
  parseCancelUpdate,
  parseCompress,
  parseEnable,
  parseGetQuota,
  parseId,
  type CancelUpdateArgs,
  type CompressArgs,
  type EnableArgs,
  type GetQuotaArgs,
  type IdArgs,
} from './grammar/misc.js';
import { parseSearch, type SearchArgs } from './grammar/search.js';
import { parseSort, parseThread, type SortArgs, type ThreadArgs } from './grammar/sort.js';
import { parseExpunge, parseNoArgs, type ExpungeArgs, type NoArgs } from './grammar/simple.js';
import { parseStore, type StoreArgs } from './grammar/store.js';
import { parseNotify, type NotifyArgs } from './grammar/notify.js';
import { parseGenUrlauth, parseResetKey, parseUrlfetch, type GenUrlauthArgs, type ResetKeyArgs, type UrlfetchArgs } from './grammar/urlauth.js';

export interface CommandArgsMap {
  CAPABILITY: NoArgs;
  NOOP: NoArgs;
  LOGOUT: NoArgs;
  STARTTLS: NoArgs;
  AUTHENTICATE: AuthenticateArgs;
  LOGIN: LoginArgs;
  UNAUTHENTICATE: NoArgs;
  SELECT: SelectArgs;
  EXAMINE: SelectArgs;
  CREATE: MailboxArgs;
  DELETE: MailboxArgs;
  RENAME: RenameArgs;
  SUBSCRIBE: MailboxArgs;
  UNSUBSCRIBE: MailboxArgs;
  LIST: ListArgs;
  LSUB: LsubArgs;
  STATUS: StatusArgs;
  APPEND: AppendArgs;
  CHECK: NoArgs;
  CLOSE: NoArgs;
  EXPUNGE: ExpungeArgs;
  SEARCH: SearchArgs;
  SORT: SortArgs;
  THREAD: ThreadArgs;
  FETCH: FetchArgs;
  STORE: StoreArgs;
  COPY: CopyArgs;
  MOVE: CopyArgs;
  IDLE: NoArgs;
  NAMESPACE: NoArgs;
  ID: IdArgs;
  ENABLE: EnableArgs;
  UNSELECT: NoArgs;
  GETQUOTA: GetQuotaArgs;
  GETQUOTAROOT: MailboxArgs;
  CANCELUPDATE: CancelUpdateArgs;
  GENURLAUTH: GenUrlauthArgs;
  URLFETCH: UrlfetchArgs;
  RESETKEY: ResetKeyArgs;
  NOTIFY: NotifyArgs;
  COMPRESS: CompressArgs;
  SETACL: AclArgs;
  DELETEACL: AclArgs;
  GETACL: MailboxArgs;
  LISTRIGHTS: AclArgs;
  MYRIGHTS: MailboxArgs;
}

export type CommandName = keyof CommandArgsMap;

/** A parsed command; narrowing on `name` types `args`. */
export type ImapCommand = {
  [K in CommandName]: { readonly tag: string; readonly name: K; readonly uid: boolean; readonly args: CommandArgsMap[K] };
}[CommandName];

type Grammar = { [K in CommandName]: (r: Reader, uid: boolean) => CommandArgsMap[K] };

const GRAMMAR: Grammar = {
  CAPABILITY: parseNoArgs,
  NOOP: parseNoArgs,
  LOGOUT: parseNoArgs,
  STARTTLS: parseNoArgs,
  AUTHENTICATE: parseAuthenticate,
  LOGIN: parseLogin,
  UNAUTHENTICATE: parseNoArgs,
  SELECT: parseSelect,
  EXAMINE: parseSelect,
  CREATE: parseMailbox,
  DELETE: parseMailbox,
  RENAME: parseRename,
  SUBSCRIBE: parseMailbox,
  UNSUBSCRIBE: parseMailbox,
  LIST: parseList,
  LSUB: parseLsub,
  STATUS: parseStatus,
  APPEND: parseAppend,
  CHECK: parseNoArgs,
  CLOSE: parseNoArgs,
  EXPUNGE: parseExpunge,
  SEARCH: parseSearch,
  SORT: parseSort,
  THREAD: parseThread,
  FETCH: parseFetch,
  STORE: parseStore,
  COPY: parseCopy,
  MOVE: parseCopy,
  IDLE: parseNoArgs,
  NAMESPACE: parseNoArgs,
  ID: parseId,
  ENABLE: parseEnable,
  UNSELECT: parseNoArgs,
  GETQUOTA: parseGetQuota,
  GETQUOTAROOT: parseMailbox,
  CANCELUPDATE: parseCancelUpdate,
  GENURLAUTH: parseGenUrlauth,
  URLFETCH: parseUrlfetch,
  RESETKEY: parseResetKey,
  NOTIFY: parseNotify,
  COMPRESS: parseCompress,
  SETACL: parseSetAcl,
  DELETEACL: parseMailboxIdentifier,
  GETACL: parseMailbox,
  LISTRIGHTS: parseMailboxIdentifier,
  MYRIGHTS: parseMailbox,
};

// uid = "UID" SP (copy / move / fetch / search / store / uid-expunge) (RFC 3501 §6.4.8, RFC 6851, RFC 4315);
// sort and thread have UID forms too (RFC 5256 §5)
const UID_COMMANDS: ReadonlySet<string> = new Set<CommandName>(['COPY', 'MOVE', 'FETCH', 'SEARCH', 'STORE', 'EXPUNGE', 'SORT', 'THREAD']);

function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(GRAMMAR, name);
}

// command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF (RFC 3501 §9)
export function parseCommand(request: ImapRequest): ImapCommand {
  const r = new Reader(request);
  if (r.atEnd()) throw new ImapParseError('Empty command line');
  const tag = r.tag();
  try {
    r.sp('command');
    let name = r.keyword('command');
    const uid = name === 'UID';
    if (uid) {
      r.sp('UID command');
      name = r.keyword('UID command');
      if (!UID_COMMANDS.has(name)) r.fail(`Unknown UID command ${shown(name)}`);
    }
    if (!isCommandName(name)) return r.fail(`Unknown command ${shown(name)}`);
    const args = GRAMMAR[name](r, uid);
    if (!r.atEnd()) r.fail(`Unexpected characters after ${uid ? 'UID ' : ''}${name}`);
    return { tag, name, uid, args } as ImapCommand;
  } catch (error) {
    throw error instanceof ImapParseError && error.tag === null ? error.withTag(tag) : error;
  }
}
