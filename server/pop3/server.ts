// The POP3 listeners (DESIGN §8): `pop3` (110, plain with STLS) and `pop3s` (995, implicit TLS), both
// serving the same sessions over the accounts' INBOXes.
//
// Invariants:
// - Both listeners of one createPop3Listeners call share the maildrop locks and the per-IP connection
//   counts, so a mailbox is locked across ports and the limit counts a client's connections on both.
// - At connect the client's access is decided once (access.ts): a range whose network row forbids
//   POP3, or a client over settings.limits.maxConnectionsPerIp, gets one `-ERR` and is closed.
// - Binding, TLS and stop() are server/net/tcp-listener.ts's; dropping a connection deletes nothing
//   (only QUIT commits).
import { randomBytes } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import type { Listener, ServerContext } from '../index.js';
import { unmapIpv4 } from '../policy/cidr.js';
import { mailboxAccess } from '../policy/networks.js';
import { createTcpListener } from '../net/tcp-listener.js';
import { ConnectionCounter } from '../net/connection-counter.js';
import type { Pop3Auth } from './auth.js';
import { Pop3Connection } from './connection.js';
import { Pop3Error } from './errors.js';
import { MaildropLocks } from './maildrop.js';
import { encodeError } from './responses.js';
import { runSession } from './session.js';

export type { Pop3Auth } from './auth.js';

export function createPop3Listeners(ctx: ServerContext, auth: Pop3Auth): Listener[] {
  const locks = new MaildropLocks();
  const perIp = new ConnectionCounter();

  const listener = (name: 'pop3' | 'pop3s', implicitTls: boolean): Listener => {
    const serve = async (connection: Pop3Connection, secureContext: SecureContext) => {
      const ip = unmapIpv4(connection.remoteIp);
      const log = ctx.log.child({ component: 'pop3', sessionId: randomBytes(6).toString('hex'), fields: { remote: ip } });
      const count = perIp.enter(ip);
      try {
        const settings = ctx.settings();
        const access = mailboxAccess('pop3', {
          remoteIp: ip,
          networks: await ctx.store.networks.list(),
          now: ctx.clock.now(),
          allowPlaintextFromTrusted: settings.allowPlaintextAuthFromTrusted,
        });
        log.info('pop3.connect', { listener: name, tls: connection.secure, network: access.network });
        let refusal: Pop3Error | null = null;
        if (!access.allowed) refusal = new Pop3Error('POP3 is not allowed from your network', 'SYS/PERM');
        else if (count > settings.limits.maxConnectionsPerIp) refusal = new Pop3Error('Too many connections from your address', 'SYS/TEMP');
        if (refusal) {
          log.info('pop3.refused', { reason: refusal.text, connections: count });
          await connection.write(encodeError(refusal));
          await connection.close();
          return;
        }
        await runSession(connection, { ctx, auth, locks, access, log, secureContext });
      } catch (error) {
        log.error('pop3.session.failed', { error });
        connection.destroy();
      } finally {
        perIp.leave(ip);
      }
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
