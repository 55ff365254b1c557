// The POP3 listeners (DESIGN §8): `pop3` (110, plain with STLS) and `pop3s` (995, implicit TLS), both
// serving the same sessions over the accounts' INBOXes.
//
// Invariants:
// - Both listeners of one createPop3Listeners call share the maildrop locks and the per-IP connection
//   counts, so a mailbox is locked across ports and the limit counts a client's connections on both.
// - At connect the client's access is decided once (policy/admission.ts): a range whose network row forbids
//   POP3, or a client over settings.limits.maxConnectionsPerIp, gets one `-ERR` and is closed.
// - Binding, TLS and stop() are server/net/tcp-listener.ts's; dropping a connection deletes nothing
//   (only QUIT commits).
import { randomBytes } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import type { Listener, Pop3Context } from '../context.js';
import { unmapIpv4 } from '../policy/cidr.js';
import { admittedSession, createAdmission } from '../policy/admission.js';
import { createTcpListener } from '../net/tcp-listener.js';
import type { Pop3Auth } from './auth.js';
import { Pop3Connection } from './connection.js';
import { Pop3Error } from './errors.js';
import { MaildropLocks } from './maildrop.js';
import { encodeError } from './responses.js';
import { runSession } from './session.js';

export type { Pop3Auth } from './auth.js';

export function createPop3Listeners(ctx: Pop3Context, auth: Pop3Auth): Listener[] {
  const locks = new MaildropLocks();
  const admit = createAdmission(ctx, 'pop3', 'POP3');

  const listener = (name: 'pop3' | 'pop3s', implicitTls: boolean): Listener => {
    const serve = async (connection: Pop3Connection, secureContext: SecureContext) => {
      const log = ctx.log.child({ component: 'pop3', sessionId: randomBytes(6).toString('hex'), fields: { remote: unmapIpv4(connection.remoteIp) } });
      await admittedSession({
        connection,
        admit,
        log,
        proto: 'pop3',
        listener: name,
        refusalLine: (refusal) => encodeError(new Pop3Error(refusal.text, refusal.reason === 'network' ? 'SYS/PERM' : 'SYS/TEMP')),
        run: (access) => runSession(connection, { ctx, auth, locks, access, log, secureContext }),
      });
    };

    return createTcpListener({
      name,
      implicitTls,
      identity: () => ({ key: ctx.tls.key, cert: ctx.tls.cert }),
      log: ctx.log.child({ component: 'pop3' }),
      tlsFailedEvent: 'pop3.tls.failed',
      maxConnections: () => ctx.settings().limits.maxPop3Connections,
      busy: encodeError(new Pop3Error('Too many connections, try again later', 'SYS/TEMP')),
      connect: (socket, secure) => new Pop3Connection(socket, secure, ctx.settings().limits.minDataBytesPerSecond),
      serve,
    });
  };

  return [listener('pop3', false), listener('pop3s', true)];
}
