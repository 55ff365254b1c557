// IMAP4rev2 (RFC 9051), advertised beside IMAP4rev1. A session is IMAP4rev1 until the client sends
// `ENABLE IMAP4rev2` (Appendix A); from then on, what RFC 9051 changes for a server:
// - no RECENT response and no \Recent flag (the \Recent flag and RECENT response are gone, Appendix E):
//   dropped here, where every response leaves the session (Session.send), so SELECT, NOOP, IDLE and
//   FETCH FLAGS all lose them at once; SELECT still claims them for IMAP4rev1 sessions;
// - SELECT/EXAMINE send no UNSEEN response code (not in RFC 9051's resp-text-code) and do send a LIST
//   response for the mailbox (§6.3.2: FLAGS, EXISTS and LIST are required): select.ts;
// - SEARCH without RETURN answers `* ESEARCH` with ALL (§6.4.4; the SEARCH response is not IMAP4rev2):
//   search.ts. SORT and THREAD are extensions of their own and keep their answers;
// - STATUS DELETED (§6.3.11) and SIZE: status.ts (available to IMAP4rev1 sessions too).
// Unchanged because the server did it already: LIST-EXTENDED with \NonExistent, ESEARCH, NAMESPACE,
// UNSELECT, UIDPLUS, MOVE, IDLE, ENABLE, SASL-IR, LIST-STATUS, BINARY, SPECIAL-USE, the CLOSED code.
// Kept for IMAP4rev2 sessions though RFC 9051 drops or deprecates them: LSUB (LIST (SUBSCRIBED)
// replaces it), CHECK, the RECENT/NEW/OLD search keys and STATUS RECENT, with their IMAP4rev1 meaning
// (SELECT still claims \Recent messages for the session; it just never names them).
import type { FetchResponseItem, ImapResponse } from './wire/index.js';

const RECENT_FLAG = '\\Recent';

/** `response` as an IMAP4rev2 session gets it, or null when it has no place in IMAP4rev2. */
export function rev2Response(response: ImapResponse): ImapResponse | null {
  switch (response.kind) {
    case 'recent':
      return null;
    case 'untagged':
      return response.code?.code === 'UNSEEN' ? null : response;
    case 'fetch': {
      const at = response.items.findIndex((i) => i.item === 'FLAGS' && i.flags.includes(RECENT_FLAG));
      if (at === -1) return response;
      const items: FetchResponseItem[] = [...response.items];
      const flags = items[at] as Extract<FetchResponseItem, { item: 'FLAGS' }>;
      items[at] = { item: 'FLAGS', flags: flags.flags.filter((f) => f !== RECENT_FLAG) };
      return { ...response, items };
    }
    default:
      return response;
  }
}
