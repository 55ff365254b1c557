// CATENATE (RFC 4469): the bytes of a message built from TEXT literals and IMAP URLs of the user's
// own messages, in order. A URL names a mailbox of the logged-in user only (an absolute URL's user
// must be that user); its UIDVALIDITY, when given, must match; its section is BODY[section] as FETCH
// gives it (a part that does not exist is empty, as in FETCH) and ;PARTIAL= cuts it. Anything else
// is NO [BADURL url] (§5) and the APPEND stores nothing.
import type { Store } from '../store/index.js';
import type { Principal } from './command.js';
import { ImapNo } from './errors.js';
import { MessageGone, messageSection } from './fetch-data.js';
import type { BodySection } from './wire/index.js';
import type { CatenatePart, ImapUrl } from './wire/index.js';

const WHOLE: BodySection = { part: [], text: null, fields: [] };

export interface Catenated {
  readonly bytes: Buffer;
  /** A TEXT part came as literal8: binary parts are to be stored base64 (as APPEND of a literal8). */
  readonly binary: boolean;
}

function badUrl(url: string, why: string): ImapNo {
  return new ImapNo(`${why}: ${url.slice(0, 200)}`, { code: 'BADURL', url });
}

export async function catenate(store: Store, user: Principal, parts: readonly CatenatePart[]): Promise<Catenated> {
  const chunks: Buffer[] = [];
  let binary = false;
  for (const part of parts) {
    if (part.kind === 'text') {
      chunks.push(part.bytes);
      binary ||= part.binary;
      continue;
    }
    chunks.push(await resolve(store, user, part.url, part.parsed));
  }
  return { bytes: Buffer.concat(chunks), binary };
}

async function resolve(store: Store, user: Principal, url: string, parsed: ImapUrl | null): Promise<Buffer> {
  if (parsed === null) throw badUrl(url, 'Invalid IMAP URL');
  if (parsed.user !== null && parsed.user.toLowerCase() !== user.address.toLowerCase()) throw badUrl(url, 'URL of another user');
  const content = await urlContent(store, user.accountId, parsed);
  if (typeof content === 'string') throw badUrl(url, content);
  return content;
}

/**
 * The bytes an IMAP URL names in the account's mailboxes (BODY[section] as FETCH gives it, cut by
 * ;PARTIAL=), or why there are none. Also URLFETCH's (urlauth.ts), after its checks.
 */
export async function urlContent(store: Store, accountId: number, parsed: ImapUrl): Promise<Buffer | string> {
  const mailbox = await store.mailboxes.get(accountId, parsed.mailbox);
  if (!mailbox) return 'No such mailbox';
  if (parsed.uidValidity !== null && parsed.uidValidity !== mailbox.uidValidity) return 'UIDVALIDITY does not match';
  const [row] = await store.messages.rows(mailbox.id, [parsed.uid], ['parts']);
  if (row === undefined) return 'No such message';
  const partial = parsed.partial === null ? null : { start: parsed.partial.start, count: parsed.partial.count ?? Number.MAX_SAFE_INTEGER };
  try {
    return await messageSection(store, row, parsed.section ?? WHOLE, partial);
  } catch (error) {
    if (error instanceof MessageGone) return 'The message was expunged';
    throw error;
  }
}
