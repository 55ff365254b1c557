// COMPRESS (RFC 4978): DEFLATE for the rest of the connection, in the authenticated states
// (command-auth, §5). The session sends the tagged OK uncompressed and then turns compression on
// in both directions (ImapConnection.compress, server/net/deflate-layer.ts).
//
// Rules: a second COMPRESS is NO [COMPRESSIONACTIVE] (§3; Dovecot answers the same); STARTTLS after
// COMPRESS (possible again after UNAUTHENTICATE) is refused in login.ts, since TLS would then sit
// below compression's framing in the wrong order (§3: compress, then encrypt).
import { AUTHENTICATED, NO_FLAGS, type CommandSpec } from '../command.js';
import { ImapNo } from '../errors.js';

export const compress: CommandSpec<'COMPRESS'> = {
  name: 'COMPRESS',
  states: AUTHENTICATED,
  flags: NO_FLAGS,
  run(session) {
    if (session.compressed) throw new ImapNo('DEFLATE compression is already active', 'COMPRESSIONACTIVE');
    return { text: 'DEFLATE active', then: 'compress' };
  },
};
