// The ManageSieve listener (RFC 5804, port 4190): plain with STARTTLS, over server/net's TCP
// listener. Who may connect and whether they may log in without TLS is decided once per connection
// by the injected `admit` (listener.ts wires it to the access rules, as IMAP's).

import { randomBytes } from 'node:crypto';
import type { Listener, PortName } from '../../context.js';
import { createTcpListener } from '../../net/tcp-listener.js';
import { ManageSieveConnection } from './connection.js';
import { response } from './responses.js';
import type { ManageSieveDeps } from './context.js';
import { runSession } from './session.js';

export type { ManageSieveDeps } from './context.js';
export type { SieveScriptRepository, SieveScriptSummary } from './repository.js';
export { MAX_SCRIPTS_PER_ACCOUNT, MAX_SCRIPT_NAME_LENGTH } from './repository.js';

export type Admission = { refusal: string } | { plaintextLogin: boolean; done(): void };

export interface ManageSieveListenerOptions extends Omit<ManageSieveDeps, 'plaintextAuthAllowed'> {
  name: PortName;
  /** At connect: a refusal ends the connection with BYE; otherwise `done` is called when it ends. */
  admit(remoteIp: string): Promise<Admission>;
  identity: () => { key: string; cert: string };
  /** The cap on concurrent sessions, read per connection. */
  maxConnections(): number;
  /** The slowest a started command may arrive, read per connection (0: no check). */
  minBytesPerSecond(): number;
}

export function createManageSieveListener(options: ManageSieveListenerOptions): Listener {
  return createTcpListener({
    name: options.name,
    implicitTls: false,
    identity: options.identity,
    log: options.log.child({ component: 'managesieve' }),
    tlsFailedEvent: 'managesieve.tls.failed',
    maxConnections: options.maxConnections,
    busy: response('BYE', 'Too many connections, try again later', 'TRYLATER'),
    connect: (socket, secure) => new ManageSieveConnection(socket, secure, options.minBytesPerSecond()),
    async serve(connection, secureContext) {
      const log = options.log.child({ component: 'managesieve', sessionId: randomBytes(6).toString('hex'), fields: { remote: connection.remoteIp } });
      const admission = await options.admit(connection.remoteIp);
      log.info('managesieve.connect', { tls: connection.secure, ...('refusal' in admission && { refused: admission.refusal }) });
      if ('refusal' in admission) {
        await connection.write(response('BYE', admission.refusal));
        await connection.close();
        return;
      }
      try {
        await runSession(connection, { ...options, log, plaintextAuthAllowed: () => admission.plaintextLogin }, secureContext);
        log.info('managesieve.disconnect', {});
      } catch (error) {
        log.error('managesieve.session.failed', { error });
        await connection.write(response('BYE', 'Internal error'));
        connection.destroy();
      } finally {
        admission.done();
      }
    },
  });
}
