// IMAP URLs naming one message or part of it (RFC 5092), as CATENATE's URL parts carry them
// (RFC 4469 §5). Accepted: the server-relative form `/mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s]
// [/;PARTIAL=o[.l]]` and the same after `imap://[user[;AUTH=m]@]host[:port]`; the caller checks the
// user (only the logged-in user's own mailboxes can be named). URLAUTH-authorised URLs are refused.
// Names and sections are %-decoded UTF-8 (RFC 5092 §3: not modified UTF-7); keys are case-insensitive.
import { ImapParseError } from '../errors.js';
import { normalizeMailboxName } from '../mutf7.js';
import { Reader } from '../tokens.js';
import { parseSectionText, type BodySection } from './fetch.js';

export interface ImapUrl {
  /** The user named in an absolute URL's authority, or null (relative URL, or none given). */
  readonly user: string | null;
  /** An absolute URL's host (without the port), lower case; null for a relative URL. */
  readonly host: string | null;
  readonly mailbox: string;
  readonly uidValidity: number | null;
  readonly uid: number;
  /** null: the whole message. */
  readonly section: BodySection | null;
  /** `;PARTIAL=offset[.length]`; count null means to the end. */
  readonly partial: { readonly start: number; readonly count: number | null } | null;
}

const NUMBER = /^\d{1,10}$/;
const NUMBER_MAX = 0xffffffff;

function fail(url: string, reason: string): never {
  throw new ImapParseError(`Invalid IMAP URL ${JSON.stringify(url.slice(0, 200))}: ${reason}`);
}

function decode(url: string, s: string): string {
  if (/%(?![0-9A-Fa-f]{2})/.test(s)) fail(url, 'bad %-escape');
  try {
    return decodeURIComponent(s);
  } catch {
    return fail(url, 'the %-escapes are not UTF-8');
  }
}

function number(url: string, value: string, nonZero: boolean): number {
  const n = NUMBER.test(value) ? Number(value) : NaN;
  if (!(n <= NUMBER_MAX) || (nonZero && n === 0)) fail(url, `bad number ${JSON.stringify(value)}`);
  return n;
}

/** Splits `;KEY=value` off a path segment; the key in upper case. */
function param(url: string, segment: string, key: string): string {
  const prefix = `;${key}=`;
  if (segment.slice(0, prefix.length).toUpperCase() !== prefix) fail(url, `expected ${prefix}`);
  return segment.slice(prefix.length);
}

export function parseImapUrl(url: string): ImapUrl {
  let user: string | null = null;
  let host: string | null = null;
  let path = url;
  if (/^imap:\/\//i.test(url)) {
    const slash = url.indexOf('/', 7);
    if (slash < 0) fail(url, 'no message path');
    const authority = url.slice(7, slash);
    const at = authority.lastIndexOf('@');
    if (at >= 0) user = decode(url, authority.slice(0, at).replace(/;AUTH=.*$/i, ''));
    host = authority.slice(at + 1).replace(/:\d*$/, '').toLowerCase();
    path = url.slice(slash);
  }
  if (!path.startsWith('/')) fail(url, 'not a server-relative or imap:// URL');
  // Segments are separated by "/;" (a "/" alone belongs to the mailbox name's hierarchy).
  const segments = path.slice(1).split('/;');
  const [mailboxPart, ...rest] = segments;
  const semi = mailboxPart.indexOf(';');
  const mailbox = decode(url, semi < 0 ? mailboxPart : mailboxPart.slice(0, semi));
  if (mailbox === '') fail(url, 'no mailbox');
  const uidValidity = semi < 0 ? null : number(url, param(url, mailboxPart.slice(semi), 'UIDVALIDITY'), true);
  const parts = rest.map((s) => `;${s}`);
  if (parts.length === 0) fail(url, 'no ;UID=');
  const uid = number(url, param(url, parts[0], 'UID'), true);
  let section: BodySection | null = null;
  let partial: ImapUrl['partial'] = null;
  let at = 1;
  if (at < parts.length && parts[at].toUpperCase().startsWith(';SECTION=')) {
    const text = decode(url, param(url, parts[at++], 'SECTION'));
    section = parseSectionText(new Reader({ lines: [Buffer.from(text)], literals: [] }));
  }
  if (at < parts.length && parts[at].toUpperCase().startsWith(';PARTIAL=')) {
    const [offset, length, ...extra] = param(url, parts[at++], 'PARTIAL').split('.');
    if (extra.length > 0) fail(url, 'bad ;PARTIAL=');
    partial = { start: number(url, offset, false), count: length === undefined ? null : number(url, length, true) };
  }
  if (at < parts.length) fail(url, `unexpected ${JSON.stringify(parts[at].slice(0, 40))}`);
  return { user, host, mailbox: normalizeMailboxName(mailbox), uidValidity, uid, section, partial };
}
