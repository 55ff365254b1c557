// URLAUTH (RFC 4467): an authorised URL carries `:INTERNAL:token`, the token being HMAC-SHA256 of the
// URL's rump under the mailbox's access key (store/urlauth-keys.ts). URLFETCH gives the named data only
// when the token matches the current key, ;EXPIRE= has not passed, and the access identifier admits
// the fetching user: `anonymous` and `authuser` anyone logged in here, `user+name` that user only,
// `submit+name` nobody (there is no submission entity that fetches by URL).
//
// Users: Mailroom logs users in by address. A URL's user with no "@" is taken at the URL's host
// (`imap://u1@example.com/` is u1@example.com, as imaptest writes them); the host is not otherwise
// checked. An access identifier's user is read the same way.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Store } from '../store/index.js';
import { urlContent } from './catenate.js';
import type { Principal } from './command.js';
import { parseAuthorizedUrl, type AuthorizedUrl, ImapParseError } from './wire/index.js';

/** The address a URL user names: as is when it has a domain, else at `host`. */
export function urlUserAddress(user: string, host: string): string {
  return (user.includes('@') ? user : `${user}@${host}`).toLowerCase();
}

export function urlauthToken(key: Buffer, rump: string): string {
  return createHmac('sha256', key).update(rump).digest('hex');
}

async function ownerAccount(store: Store, url: AuthorizedUrl): Promise<number | null> {
  const address = urlUserAddress(url.url.user, url.url.host);
  const at = address.lastIndexOf('@');
  const account = await store.accounts.find(address.slice(0, at), address.slice(at + 1));
  return account?.id ?? null;
}

/**
 * GENURLAUTH's answer for one rump: the full URL, or why not (the caller sends NO). The URL must name
 * a mailbox of `user`; the message need not exist yet.
 */
export async function generateUrlauth(store: Store, user: Principal, rump: AuthorizedUrl, mechanism: string): Promise<string | { no: string }> {
  if (mechanism !== 'INTERNAL') return { no: `Unknown URLAUTH mechanism ${mechanism.slice(0, 30)}` };
  if (urlUserAddress(rump.url.user, rump.url.host) !== user.address.toLowerCase()) return { no: 'The URL names another user' };
  const mailbox = await store.mailboxes.get(user.accountId, rump.url.mailbox);
  if (!mailbox) return { no: `Mailbox ${rump.url.mailbox.slice(0, 100)} does not exist` };
  return `${rump.rump}:INTERNAL:${urlauthToken(await store.urlauthKeys.key(mailbox.id), rump.rump)}`;
}

function admits(access: AuthorizedUrl['access'], user: Principal, host: string): boolean {
  switch (access.kind) {
    case 'anonymous':
    case 'authuser':
      return true;
    case 'user':
      return urlUserAddress(access.user, host) === user.address.toLowerCase();
    case 'submit':
      return false;
  }
}

/** URLFETCH of one URL: its data, or null (sent as NIL) when it is not valid for `user` now. */
export async function fetchUrlauth(store: Store, user: Principal, text: string, now: number): Promise<Buffer | null> {
  let url: AuthorizedUrl;
  try {
    url = parseAuthorizedUrl(text, true);
  } catch (error) {
    if (error instanceof ImapParseError) return null;
    throw error;
  }
  if (url.mechanism !== 'INTERNAL' || (url.expire !== null && url.expire <= now) || !admits(url.access, user, url.url.host)) return null;
  const accountId = await ownerAccount(store, url);
  if (accountId === null) return null;
  const mailbox = await store.mailboxes.get(accountId, url.url.mailbox);
  const key = mailbox ? await store.urlauthKeys.get(mailbox.id) : undefined;
  if (key === undefined) return null;
  const expected = Buffer.from(urlauthToken(key, url.rump));
  const given = Buffer.from(url.token!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const content = await urlContent(store, accountId, url.url);
  return typeof content === 'string' ? null : content;
}
