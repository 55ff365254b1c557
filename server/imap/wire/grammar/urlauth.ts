// URLAUTH (RFC 4467): GENURLAUTH, URLFETCH and RESETKEY, and the URLAUTH-authorised IMAP URL.
//
// authimapurlrump = authimapurl expire ";URLAUTH=" access; authimapurlfull = authimapurlrump ":"
// mechanism ":" urlauth (RFC 4467 §9). The message part before it is parsed as CATENATE's URLs
// (imap-url.ts) and must be absolute (`imap://user@host/…`). ;EXPIRE= takes an RFC 3339 date-time.
// access = "submit+" enc-user / "user+" enc-user / "authuser" / "anonymous"; keywords, the mechanism
// and the hex token are case-insensitive. Limits: 100 URLs a command, 2,000 octets a URL.
import { ImapParseError, shown } from '../errors.js';
import type { Reader } from '../tokens.js';
import { parseImapUrl, type ImapUrl } from './imap-url.js';

export const URLAUTH_MAX_URLS = 100;
const URL_MAX_LENGTH = 2000;

export type UrlAccess = { readonly kind: 'anonymous' | 'authuser' } | { readonly kind: 'user' | 'submit'; readonly user: string };

export interface AuthorizedUrl {
  /** The URL up to and including `;URLAUTH=access`: what the token signs. */
  readonly rump: string;
  readonly url: ImapUrl & { readonly user: string; readonly host: string };
  /** `;EXPIRE=` as ms since the epoch, or null. */
  readonly expire: number | null;
  readonly access: UrlAccess;
  /** Upper case; null in a rump. */
  readonly mechanism: string | null;
  /** Lower-case hex; null in a rump. */
  readonly token: string | null;
}

function fail(text: string, reason: string): never {
  throw new ImapParseError(`Invalid URLAUTH URL ${JSON.stringify(text.slice(0, 200))}: ${reason}`);
}

/** Finds `;KEY=` case-insensitively, the last one. */
function lastParam(text: string, key: string): number {
  return text.toUpperCase().lastIndexOf(`;${key}=`);
}

/** Parses a rump (`full` false: GENURLAUTH's argument) or a full authorised URL (URLFETCH's). */
export function parseAuthorizedUrl(text: string, full: boolean): AuthorizedUrl {
  if (text.length > URL_MAX_LENGTH) fail(text, 'too long');
  const at = lastParam(text, 'URLAUTH');
  if (at < 0) fail(text, 'no ;URLAUTH=');
  const [accessText, mechanism, token, ...extra] = text.slice(at + ';URLAUTH='.length).split(':');
  if (full ? token === undefined || extra.length > 0 : mechanism !== undefined) fail(text, full ? 'expected access:mechanism:token' : 'a rump has no mechanism');
  if (full && !/^[0-9a-fA-F]{32,}$/.test(token)) fail(text, 'bad token');
  const rump = text.slice(0, at + ';URLAUTH='.length + accessText.length);
  let before = text.slice(0, at);
  let expire: number | null = null;
  const e = lastParam(before, 'EXPIRE');
  if (e >= 0) {
    const value = decodeURIComponent(before.slice(e + ';EXPIRE='.length));
    expire = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(expire)) fail(text, 'bad ;EXPIRE=');
    before = before.slice(0, e);
  }
  const url = parseImapUrl(before);
  if (url.user === null || url.host === null) fail(text, 'not an absolute imap://user@host/ URL');
  return { rump, url: url as AuthorizedUrl['url'], expire, access: parseAccess(text, accessText), mechanism: full ? mechanism.toUpperCase() : null, token: full ? token.toLowerCase() : null };
}

function parseAccess(text: string, access: string): UrlAccess {
  const lower = access.toLowerCase();
  if (lower === 'anonymous' || lower === 'authuser') return { kind: lower };
  const plus = access.indexOf('+');
  const kind = access.slice(0, plus).toLowerCase();
  if (plus < 0 || (kind !== 'user' && kind !== 'submit') || plus === access.length - 1) fail(text, `bad access ${JSON.stringify(access.slice(0, 60))}`);
  try {
    return { kind, user: decodeURIComponent(access.slice(plus + 1)) };
  } catch {
    return fail(text, 'bad %-escape in access');
  }
}

export interface GenUrlauthArgs {
  readonly urls: ReadonlyArray<{ readonly rump: AuthorizedUrl; readonly mechanism: string }>;
}

// genurlauth = "GENURLAUTH" 1*(SP url-rump SP mechanism); url-rump = astring; mechanism = "INTERNAL" / 1*(ALPHA / DIGIT / "-" / ".")
export function parseGenUrlauth(r: Reader): GenUrlauthArgs {
  const urls: Array<GenUrlauthArgs['urls'][number]> = [];
  do {
    r.sp('URL');
    const text = r.astring('URL');
    r.sp('mechanism');
    const mechanism = r.keyword('mechanism');
    if (urls.length >= URLAUTH_MAX_URLS) r.fail('Too many URLs');
    try {
      urls.push({ rump: parseAuthorizedUrl(text, false), mechanism });
    } catch (error) {
      if (error instanceof ImapParseError) r.fail(error.message);
      throw error;
    }
  } while (!r.atEnd());
  return { urls };
}

export interface UrlfetchArgs {
  /** As sent: each is answered (NIL when invalid) in the order given. */
  readonly urls: readonly string[];
}

// urlfetch = "URLFETCH" 1*(SP astring)
export function parseUrlfetch(r: Reader): UrlfetchArgs {
  const urls: string[] = [];
  do {
    r.sp('URL');
    if (urls.length >= URLAUTH_MAX_URLS) r.fail('Too many URLs');
    urls.push(r.astring('URL'));
  } while (!r.atEnd());
  return { urls };
}

export interface ResetKeyArgs {
  /** null: every mailbox of the user. */
  readonly mailbox: string | null;
  readonly mechanisms: readonly string[];
}

// resetkey = "RESETKEY" [SP mailbox *(SP mechanism)]
export function parseResetKey(r: Reader): ResetKeyArgs {
  if (r.atEnd()) return { mailbox: null, mechanisms: [] };
  r.sp('mailbox name');
  const mailbox = r.mailbox();
  const mechanisms: string[] = [];
  while (!r.atEnd()) {
    r.sp('mechanism');
    mechanisms.push(r.keyword('mechanism'));
    if (mechanisms.length > 10) r.fail(`Too many mechanisms (${shown(mechanisms[0])} …)`);
  }
  return { mailbox, mechanisms };
}
