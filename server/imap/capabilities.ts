// The capability list (RFC 3501 §7.2.1), which depends on the session: before login it offers
// STARTTLS (until TLS is on) and the SASL mechanisms, or LOGINDISABLED when logging in needs TLS
// first; after login it lists the extensions. Every extension named here is implemented by a command
// module or the session; nothing is advertised that a client could not use.

/** Mechanisms AUTHENTICATE accepts (server/auth runs them). */
export const SASL_MECHANISMS = ['PLAIN', 'LOGIN', 'SCRAM-SHA-256'] as const;

/** Extensions available in every state (RFC 9051 via ENABLE: rev2.ts, RFC 7888, RFC 4959, RFC 2971, RFC 2177, RFC 5161). */
const ALWAYS = ['IMAP4rev1', 'IMAP4rev2', 'LITERAL+', 'SASL-IR', 'ID', 'ENABLE', 'IDLE'];

/** Extensions of the authenticated states. */
const AUTHENTICATED = [
  'NAMESPACE', // RFC 2342
  'UNSELECT', // RFC 3691
  'UIDPLUS', // RFC 4315
  'MOVE', // RFC 6851
  'CHILDREN', // RFC 3348
  'SPECIAL-USE', // RFC 6154
  'LIST-EXTENDED', // RFC 5258
  'LIST-STATUS', // RFC 5819
  'QUOTA', // RFC 9208
  'QUOTA=RES-STORAGE',
  'CONDSTORE', // RFC 7162
  'QRESYNC',
  'ESEARCH', // RFC 4731
  'SEARCHRES', // RFC 5182
  'SORT', // RFC 5256
  'SORT=DISPLAY', // RFC 5957
  'ESORT', // RFC 5267
  'CONTEXT=SEARCH', // RFC 5267 §4 (UPDATE, CANCELUPDATE)
  'CONTEXT=SORT', // RFC 5267 §4 (SORT RETURN (UPDATE), positions)
  'THREAD=ORDEREDSUBJECT', // RFC 5256
  'THREAD=REFERENCES',
  'WITHIN', // RFC 5032
  'STATUS=SIZE', // RFC 8438
  'BINARY', // RFC 3516
  'MULTIAPPEND', // RFC 3502
  'CATENATE', // RFC 4469
  'UNAUTHENTICATE', // RFC 8437
  'PREVIEW', // RFC 8970
  'PARTIAL', // RFC 9394
  'URLAUTH', // RFC 4467 (mechanism INTERNAL)
  'NOTIFY', // RFC 5465 (other mailboxes: notify.ts)
  'OBJECTID', // RFC 8474 (object-ids.ts)
  'COMPRESS=DEFLATE', // RFC 4978 (server/net/deflate-layer.ts)
  'ACL', // RFC 4314 (store/acl.ts, store/mailbox-access.ts)
  'RIGHTS=texk', // RFC 4314 §2.1.1: the new rights t, e, x, k
  'SAVEDATE', // RFC 8514 (save-date.ts)
];

export function capabilities(state: { authenticated: boolean; secure: boolean; loginAllowed: boolean }): string[] {
  if (state.authenticated) return [...ALWAYS, ...AUTHENTICATED];
  const list = [...ALWAYS];
  if (!state.secure) list.push('STARTTLS');
  if (state.loginAllowed) list.push(...SASL_MECHANISMS.map((m) => `AUTH=${m}`));
  else list.push('LOGINDISABLED');
  return list;
}
