// The IMAP listeners (DESIGN §7): `imap` (143, plain with STARTTLS) and `imaps` (993, implicit TLS),
// both serving the same sessions over the store.
//
// Invariants:
// - Both listeners of one createImapListeners call share the per-IP connection counts, so the limit
//   (settings.limits.maxConnectionsPerIp) counts a client's connections on both ports.
// - At connect the client's access is decided once (policy/admission.ts): a range whose network row
//   forbids IMAP, or a client over the connection limit, gets one `* BYE` and is closed.
// - Literal sizes: APPEND up to settings.limits.maxMessageBytes, read when a connection opens.
// - Binding, TLS and stop() are server/net/tcp-listener.ts's.
import { randomBytes } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import type { ImapContext, Listener } from '../context.js';
import { unmapIpv4 } from '../policy/cidr.js';
import { admittedSession, createAdmission } from '../policy/admission.js';
import { createTcpListener } from '../net/tcp-listener.js';
import { BulkWork } from './bulk-work.js';
import { ImapConnection } from './connection.js';
import { runSession } from './session.js';
import { encodeResponse } from './wire/index.js';

export function createImapListeners(ctx: ImapContext): Listener[] {
  const admit = createAdmission(ctx, 'imap', 'IMAP');
  const bulk = new BulkWork();

  const listener = (name: 'imap' | 'imaps', implicitTls: boolean): Listener => {
    const serve = async (connection: ImapConnection, secureContext: SecureContext) => {
      const log = ctx.log.child({ component: 'imap', sessionId: randomBytes(6).toString('hex'), fields: { remote: unmapIpv4(connection.remoteIp) } });
      await admittedSession({
        connection,
        admit,
        log,
        proto: 'imap',
        listener: name,
        refusalLine: (refusal) => encodeResponse({ kind: 'untagged', status: 'BYE', text: refusal.text }),
        run: async (access) => {
          await runSession(connection, { ctx, access, log, secureContext, bulk });
          log.info('imap.disconnect', {});
        },
      });
    };

    return createTcpListener({
      name,
      implicitTls,
      identity: () => ({ key: ctx.tls.key, cert: ctx.tls.cert }),
      log: ctx.log.child({ component: 'imap' }),
      tlsFailedEvent: 'imap.tls.failed',
      maxConnections: () => ctx.settings().limits.maxImapConnections,
      busy: encodeResponse({ kind: 'untagged', status: 'BYE', text: 'Too many connections, try again later' }),
      connect: (socket, secure) => {
        const { limits } = ctx.settings();
        return new ImapConnection(socket, secure, { maxAppendBytes: limits.maxMessageBytes }, limits.minDataBytesPerSecond);
      },
      serve,
    });
  };

  return [listener('imap', false), listener('imaps', true)];
}
