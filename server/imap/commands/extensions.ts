// ENABLE (RFC 5161), ID (RFC 2971), NAMESPACE (RFC 2342): small extension commands.
//
// ENABLE knows CONDSTORE and QRESYNC (RFC 7162 §3.1, §3.2.3; QRESYNC implies CONDSTORE) and IMAP4rev2
// (RFC 9051 Appendix A: the session follows IMAP4rev2 from then on, rev2.ts), and answers
// `* ENABLED` with those it newly enabled; unknown names are ignored, as RFC 5161 §3.1 requires.
// ID logs what the client says about itself and names the server. NAMESPACE: the personal one has no
// prefix; other users' mailboxes shared with the user are under `Other Users/<address>/`, the shared
// mailboxes the admin made under `Shared/<name>` (RFC 2342, store/acl-rules.ts); `/` delimits.
import { ANY_STATE, AUTHENTICATED, NO_FLAGS, type CommandSpec, type Extension } from '../command.js';
import { DELIMITER } from '../mailbox-names.js';
import { OTHER_USERS, SHARED } from '../../store/acl-rules.js';

/** What ENABLE knows, by the upper-case name the grammar gives. */
const ENABLEABLE: ReadonlyMap<string, Extension> = new Map((['CONDSTORE', 'QRESYNC', 'IMAP4rev2'] as const).map((e) => [e.toUpperCase(), e]));

export const enable: CommandSpec<'ENABLE'> = {
  name: 'ENABLE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  run(session, { args }) {
    const known = args.capabilities.map((c) => ENABLEABLE.get(c)).filter((e) => e !== undefined);
    const enabled = known.filter((e) => session.enable(e));
    session.send({ kind: 'enabled', capabilities: enabled });
    return { text: 'ENABLE completed' };
  },
};

export const id: CommandSpec<'ID'> = {
  name: 'ID',
  states: ANY_STATE,
  flags: NO_FLAGS,
  run(session, { args }) {
    if (args.params !== null) session.log.info('imap.client-id', { client: Object.fromEntries(args.params) });
    session.send({ kind: 'id', params: [['name', 'Mailroom']] });
    return { text: 'ID completed' };
  },
};

export const namespace: CommandSpec<'NAMESPACE'> = {
  name: 'NAMESPACE',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  run(session) {
    session.send({ kind: 'namespace', personal: [['', DELIMITER]], other: [[`${OTHER_USERS}${DELIMITER}`, DELIMITER]], shared: [[`${SHARED}${DELIMITER}`, DELIMITER]] });
    return { text: 'NAMESPACE completed' };
  },
};
